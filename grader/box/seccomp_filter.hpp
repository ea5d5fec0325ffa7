// The syscall filter of the program: default allow, a deny-list of what the namespaces do not
// cover (SANDBOX_NOTES section 7.7).
#pragma once

namespace grader::box {

/// Loads the filter into the calling process (inherited by every descendant, kept across exec):
/// - EPERM: ptrace, process_vm_readv/writev, pidfd_getfd, process_madvise, kcmp; mount,
///   umount2, pivot_root, chroot and the new mount API; unshare, setns, clone with a CLONE_NEW*
///   flag; bpf, perf_event_open, userfaultfd, keyctl, add_key, request_key; kexec, modules,
///   reboot, swapon/off, acct, quotactl; open_by_handle_at, name_to_handle_at, syslog, ioperm,
///   iopl; clock and time setting, sethostname, setdomainname; ioctl TIOCSTI and TIOCLINUX.
/// - ENOSYS: clone3 (so libc falls back to clone, whose flags the filter can see), io_uring_*.
/// - EACCES: socket() for any family but AF_UNIX (no network, no AF_VSOCK).
/// - KILL_PROCESS (SIGSYS): a syscall of a foreign architecture (int 0x80, x32).
/// Requires PR_SET_NO_NEW_PRIVS or CAP_SYS_ADMIN. Throws BoxError("seccomp").
void load_seccomp();

/// Whether this kernel accepts seccomp filters (for --probe).
bool seccomp_available();

}  // namespace grader::box
