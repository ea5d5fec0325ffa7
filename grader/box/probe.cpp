#include "probe.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "cgroup_hierarchy.hpp"
#include "files.hpp"
#include "namespaces.hpp"
#include "seccomp_filter.hpp"

namespace grader::box {

Ia32Entry probe_ia32_entry() {
#if defined(__x86_64__)
  const pid_t child = fork();
  if (child < 0) return Ia32Entry::Unknown;
  if (child == 0) {
    // No filter here: this asks the kernel itself. i386 getpid is number 20.
    long result = 0;
    asm volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");
    _exit(result == static_cast<long>(getpid()) ? 0 : 1);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return Ia32Entry::Unknown;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ia32Entry::Present;
  // Without the entry, int 0x80 is a general protection fault: SIGSEGV.
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) return Ia32Entry::Absent;
  return Ia32Entry::Unknown;
#else
  return Ia32Entry::Absent;
#endif
}

const char* to_string(Ia32Entry entry) {
  switch (entry) {
    case Ia32Entry::Present:
      return "1";
    case Ia32Entry::Absent:
      return "0";
    case Ia32Entry::Unknown:
      return "unknown";
  }
  return "unknown";
}

std::string probe_report() {
  const bool root = geteuid() == 0;
  const std::string max_userns =
      read_text("/proc/sys/user/max_user_namespaces").value_or("unknown\n");
  const bool userns = namespaces_available(true);
  const bool plain = root && namespaces_available(false);
  const std::string cgroups = probe_cgroups();
  auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
  std::string out;
  out += "root=" + flag(root) + "\n";
  out += "user_namespaces=" + flag(userns) + "\n";
  out += "max_user_namespaces=" + max_userns.substr(0, max_userns.find('\n')) + "\n";
  out += "namespaces=" + flag(root ? plain : userns) + "\n";
  out += cgroups;
  out += "seccomp=" + flag(seccomp_available()) + "\n";
  out += std::string("ia32_syscall_entry=") + to_string(probe_ia32_entry()) + "\n";
  const char* mode =
      root ? (plain ? "full-root" : "none-only") : (userns ? "full-user-namespace" : "none-only");
  out += std::string("isolation=") + mode + "\n";
  return out;
}

}  // namespace grader::box
