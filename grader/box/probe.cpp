#include "probe.hpp"

#include <unistd.h>

#include <string>

#include "cgroup_hierarchy.hpp"
#include "files.hpp"
#include "namespaces.hpp"
#include "seccomp_filter.hpp"

namespace grader::box {

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
  const char* mode =
      root ? (plain ? "full-root" : "none-only") : (userns ? "full-user-namespace" : "none-only");
  out += std::string("isolation=") + mode + "\n";
  return out;
}

}  // namespace grader::box
