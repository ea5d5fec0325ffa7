#include "namespaces.hpp"

#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>

#include "error.hpp"

namespace grader::box {

unsigned long long box_namespaces(bool user_namespace) {
  unsigned long long flags =
      CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
  if (user_namespace) flags |= CLONE_NEWUSER;
  return flags;
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
    pid = clone_box(box_namespaces(user_namespace), -1, &pidfd);
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
