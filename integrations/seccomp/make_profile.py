#!/usr/bin/env python3
"""Writes grader-seccomp.json, the seccomp profile for containers that run the grader.

A container runtime's default profile (Docker's, podman's, Kubernetes' RuntimeDefault) refuses
what grader-box needs to build its sandbox without CAP_SYS_ADMIN: namespaces, mount,
pivot_root. This profile is the ordinary set of system calls a Linux x86-64 process uses, much as
those defaults allow it, plus exactly the calls grader-box needs (BOX_NEEDS below), and without
the calls listed in WITHHELD. It is written in the JSON format that Docker, podman, containerd
and CRI-O read (the OCI runtime specification's seccomp object): defaultAction,
defaultErrnoRet, architectures, syscalls[{names, action, args, comment}].

Usage: make_profile.py [--output FILE]   (default: grader-seccomp.json beside this script)

The output is deterministic (keys and names sorted, 2-space indent); the committed JSON is this
script's output, which tests/ci/check_seccomp_profile.py verifies.
"""

import argparse
import json
import pathlib
import sys

# The native architecture only. The runtime defaults also admit the i386 and x32 entries on
# x86-64 (int 0x80, x32 system call numbers); nothing in the grader's container uses them, and
# grader-box's own filter kills any process that uses them inside the box. A call through those
# entries matches no rule of this profile, so it is not allowed.
ARCHITECTURES = ["SCMP_ARCH_X86_64"]

# Anything not listed fails with EPERM, as under the runtime defaults. (runc answers ENOSYS
# instead for system calls newer than the newest one a profile lists, so that programs fall
# back from calls the kernel has but the profile does not know.)
DEFAULT_ACTION = "SCMP_ACT_ERRNO"
DEFAULT_ERRNO = 1  # EPERM

# The ordinary calls, allowed unconditionally: (comment, names). The runtime defaults allow all
# of these too.
ORDINARY = [
    ("processes and threads: exec, exit, wait, sessions, limits, thread and scheduling state "
     "(clone and clone3 are among the calls grader-box needs, below)", [
         "arch_prctl", "execve", "execveat", "exit", "exit_group", "fork", "get_robust_list",
         "get_thread_area", "getcpu", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
         "getrlimit", "getrusage", "getsid", "gettid", "ioprio_get", "ioprio_set", "membarrier",
         "prctl", "prlimit64", "restart_syscall", "rseq", "sched_get_priority_max",
         "sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
         "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr",
         "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "set_robust_list",
         "set_thread_area", "set_tid_address", "setpgid", "setpriority", "setrlimit", "setsid",
         "sysinfo", "times", "uname", "vfork", "wait4", "waitid",
     ]),
    ("credentials and capabilities: grader-box drops to the box's uid and clears every "
     "capability before the program runs (identity.cpp)", [
         "capget", "capset", "getegid", "geteuid", "getgid", "getgroups", "getresgid",
         "getresuid", "getuid", "setfsgid", "setfsuid", "setgid", "setgroups", "setregid",
         "setresgid", "setresuid", "setreuid", "setuid",
     ]),
    ("signals, and process file descriptors (grader-box watches and kills the box through a "
     "pidfd)", [
         "kill", "pause", "pidfd_open", "pidfd_send_signal", "rt_sigaction", "rt_sigpending",
         "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
         "rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4", "tgkill", "tkill",
     ]),
    ("memory", [
         "brk", "madvise", "memfd_create", "memfd_secret", "mincore", "mlock", "mlock2",
         "mlockall", "mmap", "mprotect", "mremap", "msync", "munlock", "munlockall", "munmap",
         "pkey_alloc", "pkey_free", "pkey_mprotect", "process_mrelease", "remap_file_pages",
     ]),
    ("file descriptors and I/O", [
         "close", "close_range", "copy_file_range", "dup", "dup2", "dup3", "fadvise64",
         "fallocate", "fcntl", "fdatasync", "flock", "fsync", "ftruncate", "ioctl", "lseek",
         "pipe", "pipe2", "pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2",
         "read", "readahead", "readv", "sendfile", "splice", "sync", "sync_file_range", "syncfs",
         "tee", "vmsplice", "write", "writev",
     ]),
    ("files and directories by path", [
         "access", "chdir", "chmod", "chown", "creat", "faccessat", "faccessat2", "fchdir",
         "fchmod", "fchmodat", "fchown", "fchownat", "fstat", "fstatfs", "futimesat", "getcwd",
         "getdents", "getdents64", "lchown", "link", "linkat", "lstat", "mkdir", "mkdirat",
         "mknod", "mknodat", "newfstatat", "open", "openat", "openat2", "readlink",
         "readlinkat", "rename", "renameat", "renameat2", "rmdir", "stat", "statfs", "statx",
         "symlink", "symlinkat", "truncate", "umask", "unlink", "unlinkat", "utime",
         "utimensat", "utimes",
     ]),
    ("extended attributes", [
         "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "getxattr", "lgetxattr",
         "listxattr", "llistxattr", "lremovexattr", "lsetxattr", "removexattr", "setxattr",
     ]),
    ("waiting for events: poll, select, epoll, inotify, eventfd, timerfd, futexes", [
         "epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2",
         "epoll_wait", "eventfd", "eventfd2", "futex", "futex_waitv", "inotify_add_watch",
         "inotify_init", "inotify_init1", "inotify_rm_watch", "poll", "ppoll", "pselect6",
         "select", "timerfd_create", "timerfd_gettime", "timerfd_settime",
     ]),
    ("clocks and timers (reading the clock; setting it is withheld)", [
         "alarm", "clock_getres", "clock_gettime", "clock_nanosleep", "getitimer",
         "gettimeofday", "nanosleep", "setitimer", "time", "timer_create", "timer_delete",
         "timer_getoverrun", "timer_gettime", "timer_settime",
     ]),
    ("asynchronous I/O (the old io_* interface; io_uring is withheld)", [
         "io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_setup", "io_submit",
     ]),
    ("System V and POSIX IPC", [
         "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedsend",
         "mq_unlink", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop",
         "semtimedop", "shmat", "shmctl", "shmdt", "shmget",
     ]),
    ("sockets (socket itself is in a group with a condition below)", [
         "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
         "listen", "recvfrom", "recvmmsg", "recvmsg", "sendmmsg", "sendmsg", "sendto",
         "setsockopt", "shutdown", "socketpair",
     ]),
    ("randomness and self-restriction (Landlock)", [
         "getrandom", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
     ]),
]

# Calls allowed only with certain arguments, as the runtime defaults allow them:
# (comment, name, [args]); each entry is one rule, and a call matching any rule is allowed.
AF_VSOCK = 40
PER_LINUX = 0x0000
PER_LINUX32 = 0x0008
UNAME26 = 0x0020000
PERSONALITY_QUERY = 0xFFFFFFFF


def arg(index, value, op):
    return {"index": index, "value": value, "op": op}


CONDITIONAL = [
    ("socket: every address family but AF_VSOCK (the host's hypervisor sockets)", "socket",
     [arg(0, AF_VSOCK, "SCMP_CMP_NE")]),
    ("personality: the Linux personality", "personality",
     [arg(0, PER_LINUX, "SCMP_CMP_EQ")]),
    ("personality: 32-bit Linux (linux32, setarch)", "personality",
     [arg(0, PER_LINUX32, "SCMP_CMP_EQ")]),
    ("personality: Linux with a 2.6-style uname", "personality",
     [arg(0, UNAME26, "SCMP_CMP_EQ")]),
    ("personality: 32-bit Linux with a 2.6-style uname", "personality",
     [arg(0, PER_LINUX32 | UNAME26, "SCMP_CMP_EQ")]),
    ("personality: asking for the current personality without changing it", "personality",
     [arg(0, PERSONALITY_QUERY, "SCMP_CMP_EQ")]),
]

# What grader-box needs and the runtime defaults withhold from a container without
# CAP_SYS_ADMIN (pivot_root is withheld even with it). Each is made by grader-box itself before
# it installs the box's own filter, which then denies all of them to the program (clone only
# with namespace flags; grader/box/seccomp_rules.cpp). The kernel still checks each call's
# permission: in a user namespace they act only on namespaces that grader-box created.
BOX_NEEDS = {
    "clone": "creates the box's namespaces (CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNS, "
             "CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP) where the kernel "
             "answers clone3 with ENOSYS (namespaces.cpp); fork and threads use it without "
             "namespace flags, which is all the runtime defaults allow",
    "clone3": "the same with CLONE_PIDFD and CLONE_INTO_CGROUP, so that the box is born in its "
              "cgroup; the runtime defaults answer ENOSYS",
    "unshare": "CLONE_NEWNS: the box's init copies the slot's prepared root, and the slot's "
               "root is built in a mount namespace of its own; CLONE_NEWNET: the slot's empty "
               "network namespace (init.cpp, namespaces.cpp)",
    "setns": "the box's init joins the slot's kept network and mount namespaces (init.cpp)",
    "mount": "the box's root: a tmpfs, read-only bind mounts of /usr and /etc/alternatives, "
             "/dev from bound device nodes, a fresh /proc, tmpfs /tmp and /box, read-only "
             "remounts; pins of the slot's namespaces (mounts.cpp, namespaces.cpp)",
    "umount2": "detaches the host's tree after pivot_root, and a slot's stale namespace pins "
               "(mounts.cpp, namespaces.cpp)",
    "pivot_root": "makes the assembled tmpfs the box's root (mounts.cpp)",
    "sethostname": "names the box's own UTS namespace 'box' (init.cpp)",
}

# Left out on purpose (the test checks that none of these is allowed), with the reason.
WITHHELD = {
    # Kernel code and the machine itself.
    "kexec_load": "replaces the running kernel",
    "kexec_file_load": "replaces the running kernel",
    "init_module": "loads kernel code",
    "finit_module": "loads kernel code",
    "delete_module": "unloads kernel code",
    "create_module": "obsolete module interface",
    "get_kernel_syms": "obsolete module interface",
    "query_module": "obsolete module interface",
    "reboot": "restarts the machine",
    "swapon": "host-wide swap",
    "swapoff": "host-wide swap",
    "acct": "host-wide process accounting",
    "syslog": "reads and clears the kernel log",
    "iopl": "raw access to I/O ports",
    "ioperm": "raw access to I/O ports",
    "settimeofday": "the clock is shared by the whole host",
    "clock_settime": "the clock is shared by the whole host",
    "adjtimex": "tunes the host's clock; grader-box denies it in the box too",
    "clock_adjtime": "tunes the host's clock; grader-box denies it in the box too",
    "quotactl": "file system quotas",
    "quotactl_fd": "file system quotas",
    "lookup_dcookie": "profiling interface",
    "nfsservctl": "not implemented by Linux any more",
    "vhangup": "hangs up the terminal",
    "_sysctl": "obsolete; removed from Linux",
    "ustat": "obsolete",
    "sysfs": "obsolete",
    "uselib": "obsolete a.out loader",
    # Large kernel attack surfaces that nothing in the grader's container uses.
    "bpf": "loads programs into the kernel",
    "perf_event_open": "performance counters: a large, often exploited kernel surface",
    "userfaultfd": "serves to win kernel races; the runtime defaults withhold it too",
    "io_uring_setup": "io_uring: a large, often exploited kernel surface; the box answers "
                      "ENOSYS inside",
    "io_uring_enter": "io_uring",
    "io_uring_register": "io_uring",
    "keyctl": "kernel keyrings are not namespaced",
    "add_key": "kernel keyrings are not namespaced",
    "request_key": "kernel keyrings are not namespaced",
    "modify_ldt": "16-bit segments (Wine, DOSEMU), a history of kernel bugs; nothing here uses "
                  "them",
    # Other processes' memory and descriptors. Neither grader-box nor the grader traces
    # processes (the runtime defaults allow ptrace on recent kernels; this profile does not).
    "ptrace": "tracing other processes; the grader does not debug or trace",
    "process_vm_readv": "reads another process's memory",
    "process_vm_writev": "writes another process's memory",
    "kcmp": "compares other processes' kernel objects",
    "pidfd_getfd": "takes another process's file descriptors",
    "process_madvise": "advises on another process's memory",
    # Files by handle, and whole-mount watching.
    "open_by_handle_at": "opens files by handle, around the mount tree (a known container "
                         "escape)",
    "name_to_handle_at": "the other half of open_by_handle_at; the box denies it too",
    "fanotify_init": "watches whole mounts; the box denies it too",
    "fanotify_mark": "useless without fanotify_init",
    # Mounts and names grader-box does not use.
    "chroot": "grader-box enters its root with pivot_root",
    "setdomainname": "grader-box sets only the host name",
    "fsopen": "the new mount API: grader-box uses mount(2) only",
    "fsconfig": "the new mount API",
    "fsmount": "the new mount API",
    "fspick": "the new mount API",
    "move_mount": "the new mount API",
    "open_tree": "the new mount API",
    "mount_setattr": "the new mount API",
    # NUMA placement (the runtime defaults tie these to CAP_SYS_NICE).
    "mbind": "NUMA placement",
    "set_mempolicy": "NUMA placement",
    "get_mempolicy": "NUMA placement",
    "set_mempolicy_home_node": "NUMA placement",
    "migrate_pages": "moves another process's pages",
    "move_pages": "moves another process's pages",
    # Numbers Linux reserves on x86-64 without an implementation.
    "afs_syscall": "not implemented",
    "getpmsg": "not implemented",
    "putpmsg": "not implemented",
    "security": "not implemented",
    "tuxcall": "not implemented",
    "vserver": "not implemented",
    "epoll_ctl_old": "not implemented",
    "epoll_wait_old": "not implemented",
}


def allow(names, comment, args=None):
    entry = {"action": "SCMP_ACT_ALLOW", "comment": comment, "names": sorted(names)}
    if args:
        entry["args"] = args
    return entry


def build_profile():
    syscalls = [allow(names, comment) for comment, names in ORDINARY]
    syscalls += [allow([name], comment, args) for comment, name, args in CONDITIONAL]
    syscalls += [allow([name], f"needed by grader-box, withheld by the runtime defaults: {why}")
                 for name, why in sorted(BOX_NEEDS.items())]
    return {
        "architectures": ARCHITECTURES,
        "defaultAction": DEFAULT_ACTION,
        "defaultErrnoRet": DEFAULT_ERRNO,
        "syscalls": syscalls,
    }


def render(profile):
    return json.dumps(profile, indent=2, sort_keys=True) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = pathlib.Path(__file__).resolve().parent / "grader-seccomp.json"
    parser.add_argument("--output", type=pathlib.Path, default=default)
    args = parser.parse_args()
    profile = build_profile()
    allowed = [n for e in profile["syscalls"] if "args" not in e for n in e["names"]]
    overlap = sorted(set(allowed) & set(WITHHELD))
    if overlap or len(allowed) != len(set(allowed)):
        print(f"make_profile.py: inconsistent lists: {overlap or 'a name listed twice'}",
              file=sys.stderr)
        return 1
    args.output.write_text(render(profile))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
