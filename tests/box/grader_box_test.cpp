// End-to-end tests of grader-box (docs/protocols.md section 1): the real binary runs small
// hostile programs from tests/programs; each test asserts containment and the result record.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr int kBoxUidBase = 60000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::map<std::string, std::string> parse_record(const std::string& text) {
  std::map<std::string, std::string> record;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) record[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return record;
}

// Processes whose real uid is `uid` (the box's dedicated uid).
std::vector<int> processes_of_uid(int uid) {
  std::vector<int> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::istringstream status(read_file(entry.path() / "status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) == 0) {
        if (std::stoi(line.substr(4)) == uid) found.push_back(std::stoi(name));
        break;
      }
    }
  }
  return found;
}

// Processes in a cgroup of slot `slot` in any hierarchy.
std::vector<int> processes_in_slot(int slot) {
  const std::string suffix = "/grader/slot-" + std::to_string(slot);
  std::vector<int> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::istringstream groups(read_file(entry.path() / "cgroup"));
    std::string line;
    while (std::getline(groups, line)) {
      if (line.size() >= suffix.size() &&
          line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0) {
        found.push_back(std::stoi(name));
        break;
      }
    }
  }
  return found;
}

// The slot's cgroup directories, in whichever hierarchies hold them.
// Directories named `name` below `dir` whose parent is named "grader". Other tests create and
// remove cgroups meanwhile: a directory that vanishes mid-walk is skipped, not the end of it.
void find_slot_dirs(const fs::path& dir, const std::string& name, std::vector<std::string>& found) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_directory(type_ec)) continue;
    if (it->path().filename() == name && dir.filename() == "grader") {
      found.push_back(it->path());
    } else {
      find_slot_dirs(it->path(), name, found);
    }
  }
}

std::vector<std::string> slot_cgroup_dirs(int slot) {
  std::vector<std::string> found;
  find_slot_dirs("/sys/fs/cgroup", "slot-" + std::to_string(slot), found);
  return found;
}

bool any_process_named(const std::string& comm) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::string text = read_file(entry.path() / "comm");
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (text == comm) return true;
  }
  return false;
}

struct BoxRun {
  int exit_code = -1;
  std::map<std::string, std::string> result;
  std::string out;         ///< the program's stdout as stored
  std::string err;         ///< the program's stderr as stored
  std::string box_stderr;  ///< grader-box's own stderr
};

// GTEST_SKIP only leaves the function it is written in, so this is a macro.
#define REQUIRE_ROOT()                                                 \
  if (geteuid() != 0) {                                                \
    GTEST_SKIP() << "needs root (namespaces, cgroups, per-slot uids)"; \
  }

// The names at the top of a box's root: its own parts, and the host's merged-usr links or
// directories that exist here (/lib32 only where a 32-bit libc is installed, and so on).
std::vector<std::string> box_root_names() {
  std::vector<std::string> names = {"box", "dev", "etc", "proc", "tmp", "usr"};
  for (const char* name : {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
    struct stat st {};
    if (lstat((std::string("/") + name).c_str(), &st) == 0 &&
        (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))) {
      names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string box_root_listing() {
  std::string listing;
  for (const std::string& name : box_root_names()) listing += name + "\n";
  return listing;
}

// One key of `grader-box --probe`, for tests whose point needs what this machine may lack.
std::string probe_value(const std::string& key) {
  const std::string command = std::string(GRADER_BOX_BIN) + " --probe";
  std::string text;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
    pclose(pipe);
  }
  const std::string prefix = key + "=";
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return {};
}

#define REQUIRE_CGROUP_LIMITS()                                                          \
  if (probe_value("cgroup_limits") != "1") {                                             \
    GTEST_SKIP() << "no writable cgroup with memory and pids here (grader-box --probe: " \
                    "cgroup_limits=0); the box then limits per process";                 \
  }

class BoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/grader-box-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    box_ = dir_ / "box";
    out_ = dir_ / "out";
    fs::create_directories(box_);
    fs::create_directories(out_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void put_program(const std::string& name) {
    fs::copy_file(fs::path(GRADER_BOX_PROGRAMS_DIR) / name, box_ / name,
                  fs::copy_options::overwrite_existing);
  }
  void put_source(const std::string& name) {
    fs::copy_file(fs::path(GRADER_BOX_SOURCES_DIR) / name, box_ / name,
                  fs::copy_options::overwrite_existing);
  }

  /// Runs grader-box with the test defaults, then `extra` (later options win), then COMMAND.
  /// `as_uid` >= 0 runs grader-box itself under that uid/gid.
  BoxRun run(int slot, const std::vector<std::string>& extra,
             const std::vector<std::string>& command, int as_uid = -1) {
    // Another uid may not reach the build tree (a checkout in a private folder): it runs a
    // copy in the test's own folder, which the test opens to it.
    std::string launcher = GRADER_BOX_BIN;
    if (as_uid >= 0) {
      launcher = dir_ / "grader-box";
      fs::copy_file(GRADER_BOX_BIN, launcher, fs::copy_options::overwrite_existing);
    }
    std::vector<std::string> args = {launcher,
                                     "--box-dir",
                                     box_,
                                     "--copy-out",
                                     out_,
                                     "--result",
                                     dir_ / "result.txt",
                                     "--stdout",
                                     dir_ / "stdout.txt",
                                     "--stderr",
                                     dir_ / "stderr.txt",
                                     "--cpu-time-ms",
                                     "1000",
                                     "--wall-time-ms",
                                     "4000",
                                     "--memory-mib",
                                     "256",
                                     "--output-limit-kib",
                                     "1024",
                                     "--file-size-kib",
                                     "16384",
                                     "--box-size-mib",
                                     "64",
                                     "--max-processes",
                                     "32",
                                     "--slot",
                                     std::to_string(slot)};
    args.insert(args.end(), extra.begin(), extra.end());
    args.emplace_back("--");
    args.insert(args.end(), command.begin(), command.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string box_stderr = dir_ / "box_stderr.txt";
    const pid_t pid = fork();
    if (pid == 0) {
      const int null = open("/dev/null", O_RDWR);
      const int err = open(box_stderr.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      dup2(null, 0);
      dup2(null, 1);
      dup2(err, 2);
      if (as_uid >= 0) unsetenv("XDG_RUNTIME_DIR");  // root's, which that uid cannot write
      if (as_uid >= 0 && (setgroups(0, nullptr) != 0 || setresgid(as_uid, as_uid, as_uid) != 0 ||
                          setresuid(as_uid, as_uid, as_uid) != 0)) {
        _exit(125);
      }
      execv(argv[0], argv.data());
      _exit(126);
    }
    BoxRun r;
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.result = parse_record(read_file(dir_ / "result.txt"));
    r.out = read_file(dir_ / "stdout.txt");
    r.err = read_file(dir_ / "stderr.txt");
    r.box_stderr = read_file(box_stderr);
    return r;
  }

  /// Nothing of slot `slot` may run after a run: no process with its uid, none in its cgroup.
  static void expect_slot_empty(int slot) {
    EXPECT_TRUE(processes_of_uid(kBoxUidBase + slot).empty()) << "a process of the slot survived";
    EXPECT_TRUE(processes_in_slot(slot).empty()) << "the slot's cgroup is not empty";
  }

  fs::path dir_;
  fs::path box_;
  fs::path out_;
};

// Asserts the exit status of grader-box and prints its stderr when it failed.
#define ASSERT_BOX_OK(r) ASSERT_EQ((r).exit_code, 0) << (r).box_stderr

TEST_F(BoxTest, InfiniteLoopIsCpuTimeout) {
  REQUIRE_ROOT();
  put_program("cpu_loop");
  // A wall limit far above the CPU limit, so that a busy machine still shows the CPU timeout.
  const BoxRun r = run(40, {"--wall-time-ms", "15000"}, {"./cpu_loop"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "timeout");
  EXPECT_EQ(r.result.at("timeout_kind"), "cpu");
  EXPECT_GE(std::stoll(r.result.at("cpu_ms")), 900);
  expect_slot_empty(40);
}

TEST_F(BoxTest, SleepIsWallTimeout) {
  REQUIRE_ROOT();
  put_program("sleep_forever");
  const BoxRun r = run(41, {"--wall-time-ms", "800"}, {"./sleep_forever"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "timeout");
  EXPECT_EQ(r.result.at("timeout_kind"), "wall");
  EXPECT_EQ(r.result.at("signal_name"), "SIGKILL");
  EXPECT_GE(std::stoll(r.result.at("wall_ms")), 800);
  expect_slot_empty(41);
}

TEST_F(BoxTest, TouchingFourGibIsMemoryLimit) {
  REQUIRE_ROOT();
  REQUIRE_CGROUP_LIMITS();
  put_program("alloc_touch");
  // Generous CPU: first-touch faults are slow on a fresh VM (SANDBOX_NOTES pitfall 14).
  const BoxRun r = run(42, {"--cpu-time-ms", "8000", "--wall-time-ms", "15000"}, {"./alloc_touch"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "memory_limit");
  EXPECT_EQ(r.result.at("oom_killed"), "1");
  expect_slot_empty(42);
}

TEST_F(BoxTest, ForkBombHitsProcessLimit) {
  REQUIRE_ROOT();
  REQUIRE_CGROUP_LIMITS();
  put_program("fork_bomb");
  const BoxRun r = run(43, {"--wall-time-ms", "10000"}, {"./fork_bomb"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0");
  EXPECT_EQ(r.result.at("process_limit_hit"), "1");
  ASSERT_EQ(r.out.rfind("forks=", 0), 0u) << r.out;
  const int forks = std::stoi(r.out.substr(6));
  EXPECT_GT(forks, 0);
  EXPECT_LT(forks, 32);  // the program itself is one of the 32
  expect_slot_empty(43);
}

TEST_F(BoxTest, StdoutFloodIsKilledAtTheCap) {
  REQUIRE_ROOT();
  put_program("stdout_flood");
  const BoxRun r = run(44, {}, {"./stdout_flood"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "output_limit");
  EXPECT_EQ(r.result.at("output_stream"), "stdout");
  EXPECT_EQ(r.out.size(), 1024u * 1024u);
  expect_slot_empty(44);
}

TEST_F(BoxTest, HugeFileIsOutputLimitFile) {
  REQUIRE_ROOT();
  put_program("file_flood");
  const BoxRun r = run(45, {}, {"./file_flood", "big"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "output_limit");
  EXPECT_EQ(r.result.at("output_stream"), "file");
  EXPECT_EQ(r.result.at("signal_name"), "SIGXFSZ");
  EXPECT_FALSE(fs::exists(box_ / "fill-0.bin"));  // the box is a tmpfs, not the host's disk
  expect_slot_empty(45);
}

TEST_F(BoxTest, ManyFilesStopAtTheBoxSize) {
  REQUIRE_ROOT();
  put_program("file_flood");
  const BoxRun r = run(46, {"--wall-time-ms", "10000"}, {"./file_flood", "many"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0") << r.out;
  EXPECT_NE(r.out.find("No space left on device"), std::string::npos) << r.out;
  const auto pos = r.out.find("written_mib=");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_LT(std::stoi(r.out.substr(pos + 12)), 64);  // 960 MiB asked, at most the 64 MiB box
  // Nothing reached the host: the box directory is as it was.
  EXPECT_EQ(std::distance(fs::directory_iterator(box_), fs::directory_iterator()), 1);
  expect_slot_empty(46);
}

TEST_F(BoxTest, HostSecretsAreInvisible) {
  REQUIRE_ROOT();
  put_program("read_secrets");
  std::ofstream(dir_ / "secret.txt") << "TOPSECRET";
  fs::permissions(dir_, fs::perms::all);  // world-readable: only the box's view may hide it
  const BoxRun r = run(47, {}, {"./read_secrets", (dir_ / "secret.txt").string(), "../secret.txt"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0") << r.out;
  EXPECT_EQ(r.out.find("TOPSECRET"), std::string::npos);
  EXPECT_NE(r.out.find("/etc/shadow: No such file or directory"), std::string::npos) << r.out;
}

TEST_F(BoxTest, NetworkIsDenied) {
  REQUIRE_ROOT();
  put_program("net_connect");
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const BoxRun r = run(48, {}, {"./net_connect", std::to_string(ntohs(addr.sin_port))});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0");
  EXPECT_NE(r.out.find("socket: Permission denied"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vsock: Permission denied"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unix: opened"), std::string::npos) << r.out;
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);  // nobody connected
  close(listener);
}

TEST_F(BoxTest, KillEverythingSparesTheOutside) {
  REQUIRE_ROOT();
  put_program("kill_everything");
  constexpr int kSlot = 49;
  // A canary with the box's own uid, outside the box: only the pid namespace protects it.
  const pid_t canary = fork();
  if (canary == 0) {
    if (setresgid(kBoxUidBase + kSlot, kBoxUidBase + kSlot, kBoxUidBase + kSlot) == 0 &&
        setresuid(kBoxUidBase + kSlot, kBoxUidBase + kSlot, kBoxUidBase + kSlot) == 0) {
      sleep(20);
    }
    _exit(0);
  }
  const BoxRun r = run(kSlot, {}, {"./kill_everything"});
  const bool canary_alive = waitpid(canary, nullptr, WNOHANG) == 0;
  kill(canary, SIGKILL);
  waitpid(canary, nullptr, 0);
  ASSERT_BOX_OK(r);
  EXPECT_TRUE(canary_alive);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0");
  EXPECT_NE(r.out.find("pid 1: "), std::string::npos);
  expect_slot_empty(kSlot);
}

void expect_leftover_dies(BoxTest* test, const BoxRun& r, int slot, const fs::path& out) {
  (void)test;
  ASSERT_EQ(r.exit_code, 0) << r.box_stderr;
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0");
  // Give a survivor the time to do what it would (it sleeps 1 s, then writes).
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(fs::exists(out / "marker"));
  EXPECT_EQ(r.out, "parent done\n");
  EXPECT_TRUE(processes_of_uid(kBoxUidBase + slot).empty());
  EXPECT_TRUE(processes_in_slot(slot).empty());
}

TEST_F(BoxTest, BackgroundChildDoesNotOutliveTheRun) {
  REQUIRE_ROOT();
  put_program("leave_behind");
  const BoxRun r = run(50, {}, {"./leave_behind", "child"});
  expect_leftover_dies(this, r, 50, out_);
}

TEST_F(BoxTest, SetsidDaemonDoesNotOutliveTheRun) {
  REQUIRE_ROOT();
  put_program("leave_behind");
  const BoxRun r = run(51, {}, {"./leave_behind", "daemon"});
  expect_leftover_dies(this, r, 51, out_);
}

TEST_F(BoxTest, PtraceOfInitIsDenied) {
  REQUIRE_ROOT();
  put_program("ptrace_init");
  const BoxRun r = run(52, {}, {"./ptrace_init"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "0") << r.out;
  EXPECT_NE(r.out.find("attach 1: Operation not permitted"), std::string::npos) << r.out;
}

// Whether this kernel has a 32-bit syscall entry, asked of the kernel directly (a forked
// child, no filter, makes the i386 getpid call), not of the launcher under test.
enum class Ia32 { Present, Absent, Unknown };

Ia32 kernel_ia32_entry() {
  const pid_t child = fork();
  if (child == 0) {
    long result = 0;
    asm volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");
    _exit(result == static_cast<long>(getpid()) ? 0 : 1);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return Ia32::Unknown;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ia32::Present;
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) return Ia32::Absent;
  return Ia32::Unknown;
}

// No 32-bit system call reaches the kernel: where the kernel has the entry, the filter kills
// the program with SIGSYS; where it has none, int 0x80 is a SIGSEGV before any filter runs.
// Either way the call never returns (the program would print "returned").
TEST_F(BoxTest, Int80NeverReachesTheKernel) {
  REQUIRE_ROOT();
  const Ia32 entry = kernel_ia32_entry();
  ASSERT_NE(entry, Ia32::Unknown) << "the int 0x80 probe neither returned nor faulted";
  put_program("foreign_syscall");
  const BoxRun r = run(53, {}, {"./foreign_syscall", "int80"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.out, "");
  if (entry == Ia32::Present) {
    EXPECT_EQ(r.result.at("verdict"), "security_violation");
    EXPECT_EQ(r.result.at("signal"), "31");
    EXPECT_EQ(r.result.at("signal_name"), "SIGSYS");
  } else {
    EXPECT_EQ(r.result.at("verdict"), "signaled");
    EXPECT_EQ(r.result.at("signal_name"), "SIGSEGV");
  }
}

TEST_F(BoxTest, X32SyscallIsSecurityViolation) {
  REQUIRE_ROOT();
  put_program("foreign_syscall");
  const BoxRun r = run(54, {}, {"./foreign_syscall", "x32"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "security_violation");
  EXPECT_EQ(r.result.at("signal_name"), "SIGSYS");
}

TEST_F(BoxTest, DevShmIsPrivate) {
  REQUIRE_ROOT();
  put_program("shm_probe");
  const fs::path host_file = "/dev/shm/grader-box-test-" + std::to_string(getpid());
  std::ofstream(host_file) << "host";
  const BoxRun r = run(55, {}, {"./shm_probe"});
  const bool leaked_in = fs::exists("/dev/shm/box-made");
  fs::remove(host_file);
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.out.find("grader-box-test-"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("create: ok"), std::string::npos) << r.out;
  EXPECT_FALSE(leaked_in);
}

// When the file at `path` was last written (the slot root's stamp is written only when the
// root is built).
std::string modified(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "absent";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

// The mount points of the mount namespace pinned at `path`, from a child that joins it (the
// namespace has no /proc of its own, so the host's is opened first).
std::vector<std::string> mount_points_of(const std::string& path) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {"pipe failed"};
  const pid_t child = fork();
  if (child == 0) {
    close(pipe_fds[0]);
    const int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    const int ns = open(path.c_str(), O_RDONLY);
    if (proc < 0 || ns < 0 || setns(ns, CLONE_NEWNS) != 0) _exit(1);
    const int info = openat(proc, "self/mountinfo", O_RDONLY);
    if (info < 0) _exit(2);
    char buffer[4096];
    ssize_t n = 0;
    while ((n = read(info, buffer, sizeof buffer)) > 0) {
      if (write(pipe_fds[1], buffer, static_cast<std::size_t>(n)) != n) _exit(3);
    }
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {"cannot read " + path};
  std::vector<std::string> points;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    points.push_back(point);
  }
  return points;
}

TEST_F(BoxTest, SlotRootIsBuiltOnceAndKeepsNothingOfARun) {
  REQUIRE_ROOT();
  const std::string pin = "/run/grader-box/mntns-slot-70";
  // Run 1 leaves files in every writable place of the box.
  BoxRun r = run(70, {},
                 {"/bin/sh", "-c",
                  "echo one > /tmp/left; echo one > /box/left; echo one > /dev/shm/left; "
                  "echo written"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.out, "written\n");
  const std::string built = modified(pin + ".stamp");
  ASSERT_NE(built, "absent") << "no slot root stamp beside " << pin;
  fs::remove_all(out_);
  fs::create_directories(out_);
  // Run 2 on the same slot finds none of them, and the root was not built again.
  r = run(70, {}, {"/bin/sh", "-c", "ls -A /tmp /box /dev/shm; cat /tmp/left /box/left; true"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.out, "/box:\n\n/dev/shm:\n\n/tmp:\n") << r.out;
  EXPECT_EQ(modified(pin + ".stamp"), built);
  // The slot's namespace holds the root only: no mount of either run is left in it.
  const std::vector<std::string> points = mount_points_of(pin);
  const auto has = [&](const std::string& point) {
    return std::find(points.begin(), points.end(), point) != points.end();
  };
  EXPECT_TRUE(has("/") && has("/usr") && has("/dev")) << ::testing::PrintToString(points);
  for (const char* run_mount : {"/proc", "/tmp", "/box", "/dev/shm"}) {
    EXPECT_FALSE(has(run_mount)) << run_mount << " in " << ::testing::PrintToString(points);
  }
  // A root built from something else (here a stamp that no longer matches) is built again.
  std::ofstream(pin + ".stamp") << "stale\n";
  r = run(70, {}, {"/bin/sh", "-c", "cat /etc/passwd | grep -c ^box:"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.out, "1\n");
  EXPECT_NE(read_file(pin + ".stamp"), "stale\n");
  EXPECT_EQ(mount_points_of(pin), points);
}

TEST_F(BoxTest, WithoutASlotRootTheRunBuildsItsOwn) {
  REQUIRE_ROOT();
  // A directory where the slot's root would be pinned: it cannot be kept there.
  const std::string pin = "/run/grader-box/mntns-slot-73";
  std::error_code ignored;
  fs::remove(pin + ".stamp", ignored);
  if (fs::exists(pin) && !fs::is_directory(pin)) {
    umount2(pin.c_str(), MNT_DETACH);
    fs::remove(pin, ignored);
  }
  fs::create_directories(pin);
  const BoxRun r = run(73, {}, {"/bin/sh", "-c", "ls /; id -u; touch /x 2>&1 | grep -c Read-only"});
  fs::remove(pin, ignored);
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_NE(r.result.at("message").find("slot root unavailable, built for this run"),
            std::string::npos)
      << r.result.at("message");
  EXPECT_EQ(r.out, box_root_listing() + "60073\n1\n");
  expect_slot_empty(73);
}

TEST_F(BoxTest, ReleaseSlotsRemovesWhatASlotKeeps) {
  REQUIRE_ROOT();
  REQUIRE_CGROUP_LIMITS();
  BoxRun r = run(72, {}, {"/bin/true"});
  ASSERT_BOX_OK(r);
  const std::vector<std::string> kept = {"/run/grader-box/netns-slot-72",
                                         "/run/grader-box/mntns-slot-72",
                                         "/run/grader-box/cgroup-slot-72"};
  for (const std::string& path : kept) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_FALSE(slot_cgroup_dirs(72).empty()) << "no cgroup directory for slot 72";
  const std::string out = dir_ / "release.txt";
  const std::string command = std::string(GRADER_BOX_BIN) + " --release-slots --slot 72 > " + out;
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(read_file(out), "released 1 slot(s)\n");
  for (const std::string& path : kept) EXPECT_FALSE(fs::exists(path)) << path;
  EXPECT_TRUE(slot_cgroup_dirs(72).empty()) << ::testing::PrintToString(slot_cgroup_dirs(72));
  EXPECT_EQ(read_file("/proc/self/mountinfo").find("slot-72"), std::string::npos);
  // The next run of the slot builds it all again.
  r = run(72, {}, {"/bin/true"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_TRUE(fs::exists("/run/grader-box/mntns-slot-72"));
}

// A grader started from another cgroup put the slot's directories under another parent (this
// machine gives every session its own memory cgroup): release finds those too, leaves another
// user's alone, and reports, without touching, a directory that still holds a process.
TEST_F(BoxTest, ReleaseSlotsFindsTheSlotUnderEveryParent) {
  REQUIRE_ROOT();
  REQUIRE_CGROUP_LIMITS();
  const fs::path pids = "/sys/fs/cgroup/pids";
  if (!fs::exists(pids / "cgroup.procs")) GTEST_SKIP() << "no cgroup v1 pids hierarchy here";
  const fs::path ours = pids / "grader-box-test-other" / "grader" / "slot-74";
  const fs::path theirs = pids / "grader-box-test-user" / "grader" / "slot-74";
  const fs::path busy = pids / "grader-box-test-busy" / "grader" / "slot-74";
  for (const fs::path& dir : {ours, theirs, busy}) fs::create_directories(dir);
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  // A process in the busy one, killed below whatever happens.
  const pid_t sleeper = fork();
  ASSERT_GE(sleeper, 0);
  if (sleeper == 0) {
    execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::ofstream(busy / "cgroup.procs") << sleeper << std::flush;
  BoxRun r = run(74, {}, {"/bin/true"});
  ASSERT_BOX_OK(r);
  const std::string out = dir_ / "release.txt";
  const std::string command =
      std::string(GRADER_BOX_BIN) + " --release-slots --slot 74 > " + out + " 2> " + out + ".err";
  const int status = std::system(command.c_str());
  kill(sleeper, SIGKILL);
  waitpid(sleeper, nullptr, 0);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(read_file(out), "released 1 slot(s)\n");
  const std::string err = read_file(out + ".err");
  EXPECT_NE(err.find("cannot remove " + busy.string()), std::string::npos) << err;
  EXPECT_EQ(err.find(theirs.string()), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(ours));
  EXPECT_TRUE(fs::exists(theirs));
  std::vector<std::string> left = slot_cgroup_dirs(74);
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, std::vector<std::string>({busy.string(), theirs.string()}))
      << ::testing::PrintToString(left);
  std::error_code ignored;
  for (const fs::path& dir : {ours, theirs, busy}) {
    fs::remove(dir, ignored);
    fs::remove(dir.parent_path(), ignored);
    fs::remove(dir.parent_path().parent_path(), ignored);
  }
}

TEST_F(BoxTest, PythonRunsNormally) {
  REQUIRE_ROOT();
  put_source("py_normal.py");
  const BoxRun r = run(56, {"--cpu-time-ms", "5000", "--wall-time-ms", "20000"},
                       {"/usr/bin/python3", "py_normal.py"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited") << r.err;
  EXPECT_EQ(r.result.at("exit_code"), "0") << r.err;
  EXPECT_EQ(r.out, "sum 285\n");
  EXPECT_EQ(read_file(out_ / "py_out.txt"), "285");
}

TEST_F(BoxTest, PythonAttacksAreContained) {
  REQUIRE_ROOT();
  put_source("py_hostile.py");
  const BoxRun r = run(57, {"--cpu-time-ms", "5000", "--wall-time-ms", "20000"},
                       {"/usr/bin/python3", "py_hostile.py"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited") << r.err;
  EXPECT_EQ(r.result.at("exit_code"), "0") << r.out << r.err;
  EXPECT_NE(r.out.find("tcp 13"), std::string::npos) << r.out;  // EACCES
  expect_slot_empty(57);
}

TEST_F(BoxTest, GxxCompilesAndTheProgramRuns) {
  REQUIRE_ROOT();
  put_source("hello.cpp");
  const BoxRun compile =
      run(58, {"--cpu-time-ms", "20000", "--wall-time-ms", "60000", "--memory-mib", "512"},
          {"/usr/bin/g++", "-O2", "hello.cpp", "-o", "hello"});
  ASSERT_BOX_OK(compile);
  ASSERT_EQ(compile.result.at("verdict"), "exited") << compile.err;
  ASSERT_EQ(compile.result.at("exit_code"), "0") << compile.err;
  ASSERT_TRUE(fs::exists(out_ / "hello"));
  fs::remove(box_ / "hello.cpp");
  fs::copy_file(out_ / "hello", box_ / "hello");
  const BoxRun r = run(58, {}, {"./hello"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.out, "hello from the box\n");
}

TEST_F(BoxTest, ExitCodeSignalAndChannelAreReported) {
  REQUIRE_ROOT();
  BoxRun r = run(59, {}, {"/bin/sh", "-c", "echo out; echo err >&2; exit 7"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.result.at("exit_code"), "7");
  EXPECT_EQ(r.result.count("signal"), 0u);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  r = run(59, {}, {"/bin/sh", "-c", "kill -SEGV $$"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "signaled");
  EXPECT_EQ(r.result.at("signal"), "11");
  EXPECT_EQ(r.result.at("signal_name"), "SIGSEGV");
  r = run(59, {"--channel", (dir_ / "channel.txt").string()},
          {"/bin/sh", "-c", "echo ready >&3; cat < /dev/stdin"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(read_file(dir_ / "channel.txt"), "ready\n");
}

TEST_F(BoxTest, UnprivilegedModeUsesAUserNamespace) {
  REQUIRE_ROOT();  // to become an unprivileged user for the run
  if (probe_value("user_namespaces") != "1") {
    GTEST_SKIP() << "this kernel or its policy refuses user namespaces (grader-box --probe)";
  }
  fs::permissions(dir_, fs::perms::all);
  fs::permissions(box_, fs::perms::all);
  fs::permissions(out_, fs::perms::all);
  const BoxRun r = run(60, {}, {"/bin/sh", "-c", "id -u; ls /"}, 65534);
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("isolation"), "full");
  EXPECT_EQ(r.result.at("cgroup"), "none");
  EXPECT_EQ(r.result.at("verdict"), "exited");
  EXPECT_EQ(r.out, "1000\n" + box_root_listing());
}

TEST_F(BoxTest, NoIsolationKeepsCapsAndKillsLeftovers) {
  REQUIRE_ROOT();
  put_program("stdout_flood");
  put_program("leave_behind");
  BoxRun r = run(61, {"--isolation", "none"}, {"./stdout_flood"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("isolation"), "none");
  EXPECT_EQ(r.result.at("verdict"), "output_limit");
  EXPECT_EQ(r.result.at("output_stream"), "stdout");
  EXPECT_EQ(r.out.size(), 1024u * 1024u);
  r = run(61, {"--isolation", "none"}, {"./leave_behind", "daemon"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.result.at("verdict"), "exited");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(any_process_named("leave_behind"));
  EXPECT_EQ(r.out, "parent done\n");
}

TEST_F(BoxTest, ProbeDescribesTheMachine) {
  const std::string probe_out = dir_ / "probe.txt";
  const std::string command = std::string(GRADER_BOX_BIN) + " --probe > " + probe_out;
  ASSERT_EQ(std::system(command.c_str()), 0);
  const auto record = parse_record(read_file(probe_out));
  EXPECT_EQ(record.at("root"), geteuid() == 0 ? "1" : "0");
  for (const char* key : {"user_namespaces", "namespaces", "cgroup_v1", "cgroup_v2",
                          "cgroup_limits", "seccomp", "ia32_syscall_entry", "isolation"}) {
    EXPECT_EQ(record.count(key), 1u) << key;
  }
  // What grader doctor tells of the kernel agrees with the kernel itself.
  const Ia32 entry = kernel_ia32_entry();
  ASSERT_NE(entry, Ia32::Unknown);
  EXPECT_EQ(record.at("ia32_syscall_entry"), entry == Ia32::Present ? "1" : "0");
}

TEST_F(BoxTest, UsageErrorsExitTwo) {
  const BoxRun r = run(63, {"--memory-mib", "lots"}, {"/bin/true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.box_stderr.rfind(
                "grader-box: error: usage: --memory-mib: expected a whole number, got \"lots\"", 0),
            0u)
      << r.box_stderr;
}

TEST_F(BoxTest, CopyOutFromCopiesOnlyThatFolder) {
  REQUIRE_ROOT();
  const BoxRun r = run(75, {"--copy-out-from", "keep/out"},
                       {"/bin/sh", "-c",
                        "mkdir -p keep/out/sub && echo a > keep/out/a && echo s > keep/out/sub/s "
                        "&& echo big > big && echo k > keep/k"});
  ASSERT_BOX_OK(r);
  ASSERT_EQ(r.result.at("verdict"), "exited") << r.err;
  EXPECT_EQ(read_file(out_ / "a"), "a\n");
  EXPECT_EQ(read_file(out_ / "sub/s"), "s\n");
  EXPECT_FALSE(fs::exists(out_ / "big"));
  EXPECT_FALSE(fs::exists(out_ / "k"));
  EXPECT_FALSE(fs::exists(out_ / "keep"));
}

TEST_F(BoxTest, CopyOutFromFollowsNoSymlinkAndAcceptsNoEscape) {
  REQUIRE_ROOT();
  // The folder named is a symlink to another one the program filled: nothing comes out.
  BoxRun r = run(
      76, {"--copy-out-from", "keep/out"},
      {"/bin/sh", "-c", "mkdir -p real keep && echo s > real/secret && ln -s ../real keep/out"});
  ASSERT_BOX_OK(r);
  EXPECT_TRUE(fs::is_empty(out_));
  // A missing folder is no error: the program may not have made it.
  r = run(76, {"--copy-out-from", "never/made"}, {"/bin/true"});
  ASSERT_BOX_OK(r);
  EXPECT_TRUE(fs::is_empty(out_));
  for (const char* bad : {"../x", "/etc", "a/../b", "a//b", "./a", "a/"}) {
    r = run(76, {"--copy-out-from", bad}, {"/bin/true"});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.box_stderr.find("--copy-out-from: expected a relative folder"), std::string::npos)
        << r.box_stderr;
  }
}

// A file named by --read-only-file is mounted, not copied: the program reads it but can
// neither write, replace, chmod nor remove it, and the host's file stays as it was.
TEST_F(BoxTest, ReadOnlyFileIsMountedAndCannotBeChanged) {
  REQUIRE_ROOT();
  // open_tree and move_mount came with Linux 5.2; before, the file is copied (the next test).
  errno = 0;
  if (syscall(SYS_open_tree, -1, "", 0) < 0 && errno == ENOSYS) {
    GTEST_SKIP() << "this kernel has no open_tree (Linux 5.2): --read-only-file copies";
  }
  fs::create_directories(box_ / "share");
  const std::string content(3 << 20, 'p');  // 3 MiB, as a precompiled header would be
  write_file(box_ / "share" / "big.bin", content);
  write_file(box_ / "share" / "small.txt", "copied\n");
  const BoxRun r =
      run(77, {"--read-only-file", "share/big.bin"},
          {"/bin/sh", "-c",
           "wc -c < share/big.bin; grep -c ' /box/share/big.bin ' /proc/self/mountinfo; "
           "(echo x >> share/big.bin) 2>/dev/null || echo no-write; "
           "chmod 666 share/big.bin 2>/dev/null || echo no-chmod; "
           "rm -f share/big.bin 2>/dev/null; test -f share/big.bin && echo still-there; "
           "(mv share/small.txt share/big.bin) 2>/dev/null || echo no-replace; "
           "wc -c < share/big.bin; cat share/small.txt"});
  ASSERT_BOX_OK(r);
  ASSERT_EQ(r.result.at("verdict"), "exited") << r.err;
  EXPECT_EQ(r.out, std::to_string(content.size()) +
                       "\n1\nno-write\nno-chmod\nstill-there\nno-replace\n" +
                       std::to_string(content.size()) + "\ncopied\n");
  EXPECT_EQ(read_file(box_ / "share" / "big.bin"), content);
}

// Where the supervisor may not mount (a user namespace), the file is copied as before; a
// symlink, a folder or a missing name gives nothing to mount and nothing odd happens.
TEST_F(BoxTest, ReadOnlyFileFallsBackToTheCopy) {
  REQUIRE_ROOT();
  fs::create_directories(box_ / "share" / "folder");
  write_file(box_ / "share" / "big.bin", "shared\n");
  fs::create_symlink("/etc/hostname", box_ / "share" / "link");
  BoxRun r = run(78,
                 {"--read-only-file", "share/link", "--read-only-file", "share/folder",
                  "--read-only-file", "share/missing"},
                 {"/bin/sh", "-c",
                  "test -e share/link || echo no-link; test -d share/folder && "
                  "echo folder; test -e share/missing || echo no-missing"});
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.out, "no-link\nfolder\nno-missing\n");
  for (const char* bad : {"../x", "/etc/passwd", "a//b", "./a", "a/"}) {
    r = run(78, {"--read-only-file", bad}, {"/bin/true"});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.box_stderr.find("--read-only-file: expected a relative file"), std::string::npos)
        << r.box_stderr;
  }
  if (probe_value("user_namespaces") != "1") {
    GTEST_SKIP() << "this kernel or its policy refuses user namespaces (grader-box --probe)";
  }
  // The runs above left root's files where the unprivileged run writes its own.
  for (const char* name : {"result.txt", "stdout.txt", "stderr.txt"}) fs::remove(dir_ / name);
  fs::remove_all(out_);
  fs::create_directories(out_);
  fs::permissions(dir_, fs::perms::all);
  fs::permissions(box_, fs::perms::all);
  fs::permissions(box_ / "share", fs::perms::all);
  fs::permissions(out_, fs::perms::all);
  r = run(78, {"--read-only-file", "share/big.bin"},
          {"/bin/sh", "-c",
           "cat share/big.bin; grep -c ' /box/share/big.bin ' /proc/self/mountinfo; "
           "echo changed > share/big.bin"},
          65534);
  ASSERT_BOX_OK(r);
  EXPECT_EQ(r.out, "shared\n0\n");
  EXPECT_EQ(read_file(box_ / "share" / "big.bin"), "shared\n");
}

TEST_F(BoxTest, MissingProgramIsASandboxError) {
  REQUIRE_ROOT();
  const BoxRun r = run(64, {}, {"./does-not-exist"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.box_stderr,
            "grader-box: error: exec: cannot run \"./does-not-exist\" (No such file or "
            "directory)\n");
}

}  // namespace
