// clone_box() with a cgroup2 directory: the child must be born in it (CLONE_INTO_CGROUP), the
// way grader-box starts a v2 box. Any cgroup2 hierarchy will do, with or without controllers,
// so this runs on hybrid hosts too; it needs root to create the directory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "error.hpp"
#include "namespaces.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Where the cgroup2 hierarchy is mounted, or "" when it is not.
std::string cgroup2_mount() {
  std::istringstream lines(read_file("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(lines, line)) {
    const auto dash = line.find(" - cgroup2 ");
    if (dash == std::string::npos) continue;
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    if (root == "/") return point;
  }
  return "";
}

// This process's path in the cgroup2 hierarchy ("0::PATH" in /proc/self/cgroup).
std::string own_cgroup2_path() {
  std::istringstream lines(read_file("/proc/self/cgroup"));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return "";
}

TEST(CloneIntoCgroup, TheBoxIsBornInTheLeaf) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to create a cgroup";
  const std::string mount = cgroup2_mount();
  if (mount.empty()) GTEST_SKIP() << "no cgroup2 hierarchy mounted";
  std::string own = own_cgroup2_path();
  if (own == "/") own.clear();
  const std::string name = "grader-clone-test-" + std::to_string(getpid());
  const fs::path leaf = fs::path(mount + own) / name;
  ASSERT_EQ(mkdir(leaf.c_str(), 0755), 0) << leaf << ": " << std::strerror(errno);
  const int leaf_fd = open(leaf.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(leaf_fd, 0);

  int pidfd = -1;
  pid_t child = -1;
  try {
    child = grader::box::clone_box(0, leaf_fd, &pidfd);
  } catch (const grader::box::BoxError& e) {
    rmdir(leaf.c_str());
    FAIL() << e.what();
  }
  if (child == 0) {
    // Born there: no write to cgroup.procs ever happened.
    const std::string expected = "0::" + own + "/" + name + "\n";
    _exit(read_file("/proc/self/cgroup").find(expected) != std::string::npos ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  close(pidfd);
  close(leaf_fd);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child was not in " << leaf << " from the start";
  EXPECT_EQ(read_file(leaf / "cgroup.procs"), "");  // nothing left behind
  EXPECT_EQ(rmdir(leaf.c_str()), 0) << std::strerror(errno);
}

}  // namespace
