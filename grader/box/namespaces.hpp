// Starting the box's init in fresh namespaces.
#pragma once

#include <sys/types.h>

namespace grader::box {

/// Namespaces of every box: pid, mount, network (no interfaces up), IPC, UTS and cgroup; plus
/// a user namespace when `user_namespace`.
unsigned long long box_namespaces(bool user_namespace);

/// clone3() a child in the namespaces `flags` (born in the cgroup `cgroup_fd` when >= 0,
/// CLONE_INTO_CGROUP); falls back to clone() when clone3 is missing and no cgroup fd is given.
/// Returns the child's pid in the parent and 0 in the child (which runs on a copy of the
/// caller's stack, like fork). `*pidfd` receives a pidfd of the child. Throws BoxError("clone").
pid_t clone_box(unsigned long long flags, int cgroup_fd, int* pidfd);

/// Whether the namespaces of a box can be created here (for --probe): forks a child that
/// exits at once. `user_namespace` as for box_namespaces.
bool namespaces_available(bool user_namespace);

}  // namespace grader::box
