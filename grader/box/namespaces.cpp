#include "namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "error.hpp"
#include "files.hpp"
#include "mounts.hpp"

namespace grader::box {

unsigned long long box_namespaces(const BoxNamespaces& n) {
  unsigned long long flags = CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
  if (n.fresh_mounts) flags |= CLONE_NEWNS;
  if (n.fresh_network) flags |= CLONE_NEWNET;
  if (n.user_namespace) flags |= CLONE_NEWUSER;
  return flags;
}

int slot_network_namespace(int slot) {
  const std::string path = std::string(kRunDir) + "/netns-slot-" + std::to_string(slot);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET) return fd;
  if (fd >= 0) close(fd);
  // Not there yet (or only the placeholder file): a child creates the namespace and pins it.
  fd = open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  close(fd);
  const pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    const bool ok = unshare(CLONE_NEWNET) == 0 &&
                    mount("/proc/self/ns/net", path.c_str(), nullptr, MS_BIND, nullptr) == 0;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET) return fd;
  if (fd >= 0) close(fd);
  return -1;
}

namespace {

// What the slot's root was built from: when any of it changes, the root is built again.
std::string root_stamp(const Identity& identity) {
  auto file = [](const char* path) {
    struct stat st {};
    if (stat(path, &st) != 0) return std::string("absent");
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
           std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
  };
  return "grader-box=" + file("/proc/self/exe") + "\nuid=" + std::to_string(identity.uid) +
         "\ngid=" + std::to_string(identity.gid) + "\nld.so.cache=" + file("/etc/ld.so.cache") +
         "\n";
}

int open_mount_namespace(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNS) return fd;
  if (fd >= 0) close(fd);
  return -1;
}

}  // namespace

int slot_mount_namespace(int slot, const Identity& identity) {
  constexpr const char* kStep = "mounts";
  const std::string pin = std::string(kRunDir) + "/mntns-slot-" + std::to_string(slot);
  const std::string stamp_path = pin + ".stamp";
  const std::string stamp = root_stamp(identity);
  if (const int fd = open_mount_namespace(pin); fd >= 0) {
    if (read_text(stamp_path) == stamp) return fd;
    close(fd);
  }
  // Missing, or built from something that has changed since: build it again.
  umount2(pin.c_str(), MNT_DETACH);
  unlink(stamp_path.c_str());
  const int placeholder = open(pin.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  if (placeholder < 0) fail(kStep, "cannot create " + pin);
  close(placeholder);
  int ready[2];
  int done[2];
  if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(done, O_CLOEXEC) != 0) fail(kStep, "pipe");
  const pid_t child = fork();
  if (child < 0) fail(kStep, "fork");
  if (child == 0) {
    // Builds the root in a namespace of its own, then waits for the supervisor to pin it.
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    close(ready[0]);
    close(done[1]);
    std::string answer = "+";
    try {
      if (unshare(CLONE_NEWNS) != 0) fail(kStep, "unshare a mount namespace");
      build_root(identity);
    } catch (const std::exception& e) {
      answer = std::string("!") + e.what();
    }
    [[maybe_unused]] const ssize_t n = write(ready[1], answer.data(), answer.size());
    char byte = 0;
    [[maybe_unused]] const ssize_t m = read(done[0], &byte, 1);
    _exit(0);
  }
  close(ready[1]);
  close(done[0]);
  char answer[512] = {};
  const ssize_t n = read(ready[0], answer, sizeof answer - 1);
  close(ready[0]);
  bool pinned = false;
  if (n > 0 && answer[0] == '+') {
    const std::string source = "/proc/" + std::to_string(child) + "/ns/mnt";
    pinned = mount(source.c_str(), pin.c_str(), nullptr, MS_BIND, nullptr) == 0;
  }
  const int err = errno;
  close(done[1]);
  int status = 0;
  waitpid(child, &status, 0);
  if (n <= 0) fail(kStep, "the process building the slot's root died", 0);
  if (answer[0] == '!') throw BoxError(answer + 1);
  if (!pinned) fail(kStep, "cannot keep the slot's root at " + pin, err);
  const int out = open(stamp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const bool written =
      out >= 0 && write(out, stamp.data(), stamp.size()) == static_cast<ssize_t>(stamp.size());
  if (out >= 0) close(out);
  if (!written) fail(kStep, "cannot write " + stamp_path);
  const int fd = open_mount_namespace(pin);
  if (fd < 0) fail(kStep, "cannot open " + pin);
  return fd;
}

int release_slot_namespaces(int slot) {
  int removed = 0;
  const std::string base = std::string(kRunDir) + "/";
  for (const char* kind : {"netns-slot-", "mntns-slot-"}) {
    const std::string pin = base + kind + std::to_string(slot);
    umount2(pin.c_str(), MNT_DETACH);  // not mounted: EINVAL, nothing to undo
    if (unlink(pin.c_str()) == 0) ++removed;
  }
  unlink((base + "mntns-slot-" + std::to_string(slot) + ".stamp").c_str());
  return removed;
}

pid_t clone_box(unsigned long long flags, int cgroup_fd, int* pidfd) {
  clone_args args{};
  args.flags = flags | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
  args.pidfd = reinterpret_cast<std::uintptr_t>(pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) args.cgroup = static_cast<std::uint64_t>(cgroup_fd);
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0 && errno == ENOSYS && cgroup_fd < 0) {
    // Before Linux 5.3: clone(flags, stack, parent_tid (the pidfd), child_tid, tls).
    pid = syscall(SYS_clone, static_cast<unsigned long>(flags | CLONE_PIDFD | SIGCHLD), nullptr,
                  pidfd, nullptr, nullptr);
  }
  if (pid < 0 && (errno == EPERM || errno == EACCES)) {
    throw CloneDenied(describe("clone", "cannot create the box's namespaces", errno));
  }
  if (pid < 0) fail("clone", "cannot create the box's namespaces");
  return static_cast<pid_t>(pid);
}

bool namespaces_available(bool user_namespace) {
  int pidfd = -1;
  pid_t pid = -1;
  try {
    BoxNamespaces n;
    n.user_namespace = user_namespace;
    pid = clone_box(box_namespaces(n), -1, &pidfd);
  } catch (const BoxError&) {
    return false;
  }
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  close(pidfd);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace grader::box
