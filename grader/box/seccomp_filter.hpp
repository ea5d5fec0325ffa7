// The syscall filter of the program: default allow, a deny-list of what the namespaces do not
// cover (SANDBOX_NOTES section 7.7).
#pragma once

#include <linux/filter.h>

#include <vector>

namespace grader::box {

/// Builds the filter below as a BPF program for the native architecture. The supervisor does
/// this while init builds the mounts (libseccomp's compilation costs ~0.4 ms), then hands the
/// program over with send_filter(). The filter:
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

/// Writes a program to a pipe (count, then instructions). Throws BoxError("seccomp").
void send_filter(int fd, const std::vector<sock_filter>& program);

/// Reads one program written by send_filter(). Throws BoxError("seccomp") when incomplete.
std::vector<sock_filter> receive_filter(int fd);

/// Installs a program in the calling process; it is inherited by every descendant and kept
/// across exec. Requires PR_SET_NO_NEW_PRIVS (set by drop_identity). Throws BoxError("seccomp").
void install_seccomp(const std::vector<sock_filter>& program);

/// Whether this kernel accepts seccomp filters (for --probe).
bool seccomp_available();

}  // namespace grader::box
