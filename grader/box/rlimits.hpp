// Per-process limits set in the program's process before exec.
#pragma once

#include "options.hpp"

namespace grader::box {

/// Where the whole-box limits come from; decides which rlimits must stand in for them.
struct RlimitContext {
  bool cgroup_memory = false;  ///< memory is bounded by the slot cgroup
  bool dedicated_uid = false;  ///< RLIMIT_NPROC counts only this box (per-slot uid or user ns)
};

/// Sets, in the calling process:
/// - CPU: soft ceil(cpu_time_ms / 1000) s, hard one second more, so the kernel's verdict is
///   SIGXCPU (the supervisor additionally enforces the exact milliseconds through the cgroup).
/// - AS: unlimited when the cgroup bounds memory (the cgroup total is the real limit, and
///   address-space limits break runtimes that reserve large ranges: ASan, JVM, Go); otherwise
///   memory_mib, the only bound left.
/// - FSIZE file_size_kib, NOFILE open_files, CORE 0, NPROC max_processes when asked.
/// - STACK memory_mib when the cgroup bounds memory (deep recursion is legal up to the memory
///   limit); otherwise 8 MiB, since glibc gives every thread a stack of that size and RLIMIT_AS
///   would otherwise allow a single thread.
/// Throws BoxError("rlimits").
void apply_rlimits(const Options& options, const RlimitContext& context);

}  // namespace grader::box
