#include "namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "error.hpp"

namespace grader::box {

unsigned long long box_namespaces(bool user_namespace, bool fresh_network) {
  unsigned long long flags =
      CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
  if (fresh_network) flags |= CLONE_NEWNET;
  if (user_namespace) flags |= CLONE_NEWUSER;
  return flags;
}

int slot_network_namespace(int slot) {
  const std::string path = "/run/grader-box/netns-slot-" + std::to_string(slot);
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
  if (pid < 0) fail("clone", "cannot create the box's namespaces");
  return static_cast<pid_t>(pid);
}

bool namespaces_available(bool user_namespace) {
  int pidfd = -1;
  pid_t pid = -1;
  try {
    pid = clone_box(box_namespaces(user_namespace, true), -1, &pidfd);
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
