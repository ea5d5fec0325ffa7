// `grader-box --probe`: what isolation this machine offers, for `grader doctor`.
#pragma once

#include <string>

namespace grader::box {

/// Whether the kernel has a 32-bit system call entry (`int 0x80`): present with IA-32
/// emulation, absent in a kernel built without it or booted with `ia32_emulation=0` (and in
/// some hypervisors' guests), where `int 0x80` is a SIGSEGV before seccomp is consulted.
enum class Ia32Entry { Present, Absent, Unknown };

/// Asks the kernel directly: a forked child, with no filter, makes the i386 getpid call.
Ia32Entry probe_ia32_entry();
const char* to_string(Ia32Entry entry);

/// The key=value lines (docs/protocols.md section 1, "Probe"). Never fails: what cannot be
/// determined is reported as 0/absent.
std::string probe_report();

/// `grader-box --mode`: the mode a full-isolation run would use here, found by trying
/// (`mode=root|user-namespace|none`), and whether cgroup limits apply (`cgroup_limits=0|1`).
std::string mode_report();

}  // namespace grader::box
