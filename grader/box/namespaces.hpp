// Starting the box's init in fresh namespaces.
#pragma once

#include <sys/types.h>

#include "identity.hpp"

namespace grader::box {

/// Where root mode keeps the slots' locks and persistent namespaces.
constexpr const char* kRunDir = "/run/grader-box";

/// What a box is cloned with.
struct BoxNamespaces {
  bool user_namespace = false;  ///< unprivileged mode
  bool fresh_network = true;    ///< false: init joins the slot's network namespace
  bool fresh_mounts = true;     ///< false: init joins a copy of the slot's mount namespace
};

/// Namespace flags for clone: pid, IPC, UTS and cgroup always (a v1 box's cgroup namespace
/// is rooted at the supervisor's cgroup, so it sees its slot as /grader/slot-N); mount and
/// network as `n` says; a user namespace when `n.user_namespace`.
unsigned long long box_namespaces(const BoxNamespaces& n);

/// Root mode: an open descriptor of slot `slot`'s own empty network namespace (only a `lo` that
/// is down), created on first use and kept by a bind mount at /run/grader-box/netns-slot-N.
/// Creating a network namespace costs ~4 ms, joining one with setns() microseconds. Runs of a
/// slot are sequential and leave nothing alive in it, so sharing it across them opens no
/// channel (abstract unix sockets die with their last process). Returns -1 when it cannot be
/// set up (the box then gets a fresh namespace).
int slot_network_namespace(int slot);

/// Root mode: an open descriptor of slot `slot`'s mount namespace holding the box's read-only
/// root (build_root in mounts.hpp), kept by a bind mount at /run/grader-box/mntns-slot-N.
/// Building the root costs ~1 ms a run; init instead joins this namespace and unshares a
/// private copy, on which it mounts the run's own /proc, /tmp, /box and /dev/shm. Nothing a run
/// does reaches it: the root is read-only and the copy's mounts do not propagate back. It is
/// rebuilt when its stamp (the grader-box binary, the slot's uid and gid, the host's
/// /etc/ld.so.cache) no longer matches. Throws BoxError("mounts") when it cannot be built or
/// kept (the caller then builds the root for its run alone).
int slot_mount_namespace(int slot, const Identity& identity);

/// Unmounts and removes slot `slot`'s pinned network and mount namespaces (and the root's
/// stamp); the namespaces die with their last user. Returns how many pins were removed.
int release_slot_namespaces(int slot);

/// clone3() a child in the namespaces `flags` (born in the cgroup `cgroup_fd` when >= 0,
/// CLONE_INTO_CGROUP); falls back to clone() when clone3 is missing and no cgroup fd is given.
/// Returns the child's pid in the parent and 0 in the child (which runs on a copy of the
/// caller's stack, like fork). `*pidfd` receives a pidfd of the child. Throws CloneDenied for
/// EPERM/EACCES, else BoxError("clone").
pid_t clone_box(unsigned long long flags, int cgroup_fd, int* pidfd);

/// Whether the namespaces of a box can be created here (for --probe): forks a child that
/// exits at once. `user_namespace` as for box_namespaces.
bool namespaces_available(bool user_namespace);

}  // namespace grader::box
