// The syscall policy of the box, written with libseccomp: default allow, a deny-list of what the
// namespaces do not cover (SANDBOX_NOTES section 7.7). It is compiled to BPF when grader-box is
// built (seccomp_filter_gen), so no run pays for libseccomp's compilation.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace grader::box {

/// Builds the filter below as a BPF program for the native architecture:
/// - EPERM: ptrace, process_vm_readv/writev, pidfd_getfd, process_madvise, kcmp; mount,
///   umount2, pivot_root, chroot and the new mount API; unshare, setns, clone with a CLONE_NEW*
///   flag; bpf, perf_event_open, userfaultfd, keyctl, add_key, request_key; kexec, modules,
///   reboot, swapon/off, acct, quotactl; open_by_handle_at, name_to_handle_at, syslog, ioperm,
///   iopl; clock and time setting, sethostname, setdomainname; ioctl TIOCSTI and TIOCLINUX.
/// - ENOSYS: clone3 (so libc falls back to clone, whose flags the filter can see), io_uring_*.
/// - EACCES: socket() for any family but AF_UNIX (no network, no AF_VSOCK).
/// - KILL_PROCESS (SIGSYS): a syscall of a foreign architecture (int 0x80, x32).
/// Throws BoxError("seccomp").
std::vector<sock_filter> compile_seccomp();

}  // namespace grader::box
