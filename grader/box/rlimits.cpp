#include "rlimits.hpp"

#include <sys/resource.h>

#include <string>

#include "error.hpp"

namespace grader::box {
namespace {

void set_limit(int resource, const char* name, rlim_t soft, rlim_t hard) {
  const rlimit limit{soft, hard};
  if (setrlimit(resource, &limit) != 0) {
    fail("rlimits", std::string("cannot set ") + name + " to " + std::to_string(soft));
  }
}

void set_limit(int resource, const char* name, rlim_t value) {
  set_limit(resource, name, value, value);
}

}  // namespace

void apply_rlimits(const Options& options, const RlimitContext& context) {
  const auto cpu_s = static_cast<rlim_t>((options.cpu_time_ms + 999) / 1000);
  set_limit(RLIMIT_CPU, "RLIMIT_CPU", cpu_s, cpu_s + 1);
  const auto memory = static_cast<rlim_t>(options.memory_mib) << 20;
  set_limit(RLIMIT_AS, "RLIMIT_AS", context.cgroup_memory ? RLIM_INFINITY : memory);
  set_limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", static_cast<rlim_t>(options.file_size_kib) << 10);
  set_limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", static_cast<rlim_t>(options.open_files));
  set_limit(RLIMIT_CORE, "RLIMIT_CORE", 0);
  // glibc sizes thread stacks by RLIMIT_STACK: with RLIMIT_AS in force a memory-sized stack
  // would leave no room for a second thread, so keep the usual 8 MiB there.
  set_limit(RLIMIT_STACK, "RLIMIT_STACK", context.cgroup_memory ? memory : rlim_t{8} << 20);
  if (context.dedicated_uid) {
    set_limit(RLIMIT_NPROC, "RLIMIT_NPROC", static_cast<rlim_t>(options.max_processes));
  }
}

}  // namespace grader::box
