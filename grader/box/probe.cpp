#include "probe.hpp"

#include <linux/capability.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "cgroup_hierarchy.hpp"
#include "files.hpp"
#include "identity.hpp"
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

namespace {

struct ModeFacts {
  bool sys_admin = false;
  bool plain = false;   ///< root mode's namespaces can be created
  bool userns = false;  ///< a user namespace with the box's namespaces can be created
  bool mappable = false;
  const char* isolation() const {
    return plain ? "full-root" : userns && mappable ? "full-user-namespace" : "none-only";
  }
};

// By trying, as a run does: root mode where CAP_SYS_ADMIN lets the namespaces be created,
// else a user namespace (root in one also needs CAP_SETUID and CAP_SETGID for its map).
// With `all` false, stops once root mode is known to work (all --mode needs: a grader asks
// before every command, and each try is a clone of its own).
ModeFacts probe_mode(bool all = true) {
  ModeFacts f;
  f.sys_admin = has_capability(CAP_SYS_ADMIN);
  f.plain = f.sys_admin && namespaces_available(false);
  if (!f.plain || all) f.userns = namespaces_available(true);
  f.mappable = geteuid() != 0 || (has_capability(CAP_SETUID) && has_capability(CAP_SETGID));
  return f;
}

}  // namespace

std::string mode_report() {
  const ModeFacts f = probe_mode(false);
  const std::string cgroups = probe_cgroups();
  const bool limits = cgroups.find("cgroup_limits=1\n") != std::string::npos;
  const char* mode = f.plain ? "root" : f.userns && f.mappable ? "user-namespace" : "none";
  return std::string("mode=") + mode + "\ncgroup_limits=" + (limits ? "1" : "0") + "\n";
}

std::string probe_report() {
  const bool root = geteuid() == 0;
  const ModeFacts f = probe_mode();
  const std::string max_userns =
      read_text("/proc/sys/user/max_user_namespaces").value_or("unknown\n");
  const std::string cgroups = probe_cgroups();
  auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
  std::string out;
  out += "root=" + flag(root) + "\n";
  out += "cap_sys_admin=" + flag(f.sys_admin) + "\n";
  out += "user_namespaces=" + flag(f.userns) + "\n";
  out += "max_user_namespaces=" + max_userns.substr(0, max_userns.find('\n')) + "\n";
  out += "namespaces=" + flag(f.plain || (f.userns && f.mappable)) + "\n";
  out += cgroups;
  out += "seccomp=" + flag(seccomp_available()) + "\n";
  out += std::string("ia32_syscall_entry=") + to_string(probe_ia32_entry()) + "\n";
  out += std::string("isolation=") + f.isolation() + "\n";
  if (f.sys_admin && !f.plain) out += "root_mode_refused=1\n";
  return out;
}

}  // namespace grader::box
