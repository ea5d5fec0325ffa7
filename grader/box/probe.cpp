#include "probe.hpp"

#include <unistd.h>

#include <string>

#include "cgroup.hpp"
#include "files.hpp"
#include "namespaces.hpp"
#include "seccomp_filter.hpp"

namespace grader::box {

void print_probe(std::ostream& out) {
  const bool root = geteuid() == 0;
  const std::string max_userns =
      read_text("/proc/sys/user/max_user_namespaces").value_or("unknown\n");
  const bool userns = namespaces_available(true);
  const bool plain = root && namespaces_available(false);
  const std::string cgroups = probe_cgroups();
  out << "root=" << (root ? 1 : 0) << "\n";
  out << "user_namespaces=" << (userns ? 1 : 0) << "\n";
  out << "max_user_namespaces=" << max_userns.substr(0, max_userns.find('\n')) << "\n";
  out << "namespaces=" << ((root ? plain : userns) ? 1 : 0) << "\n";
  out << cgroups;
  out << "seccomp=" << (seccomp_available() ? 1 : 0) << "\n";
  const char* mode =
      root ? (plain ? "full-root" : "none-only") : (userns ? "full-user-namespace" : "none-only");
  out << "isolation=" << mode << "\n";
}

}  // namespace grader::box
