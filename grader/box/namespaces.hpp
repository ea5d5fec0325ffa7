// Starting the box's init in fresh namespaces.
#pragma once

#include <sys/types.h>

namespace grader::box {

/// Namespaces of every box: pid, mount, IPC, UTS and cgroup; a new network namespace (no
/// interfaces up) unless `fresh_network` is false (the caller then joins the slot's persistent
/// one); plus a user namespace when `user_namespace`.
unsigned long long box_namespaces(bool user_namespace, bool fresh_network);

/// Root mode: an open descriptor of slot `slot`'s own empty network namespace (only a `lo` that
/// is down), created on first use and kept by a bind mount at /run/grader-box/netns-slot-N.
/// Creating a network namespace costs ~4 ms, joining one with setns() microseconds. Runs of a
/// slot are sequential and leave nothing alive in it, so sharing it across them opens no
/// channel (abstract unix sockets die with their last process). Returns -1 when it cannot be
/// set up (the box then gets a fresh namespace).
int slot_network_namespace(int slot);

/// clone3() a child in the namespaces `flags` (born in the cgroup `cgroup_fd` when >= 0,
/// CLONE_INTO_CGROUP); falls back to clone() when clone3 is missing and no cgroup fd is given.
/// Returns the child's pid in the parent and 0 in the child (which runs on a copy of the
/// caller's stack, like fork). `*pidfd` receives a pidfd of the child. Throws BoxError("clone").
pid_t clone_box(unsigned long long flags, int cgroup_fd, int* pidfd);

/// Whether the namespaces of a box can be created here (for --probe): forks a child that
/// exits at once. `user_namespace` as for box_namespaces.
bool namespaces_available(bool user_namespace);

}  // namespace grader::box
