// Who the program runs as: a dedicated uid per slot (root mode) or the one mapped uid of a user
// namespace (unprivileged mode), with no capabilities, no privilege gain and its own session.
#pragma once

#include <sys/types.h>

#include "options.hpp"

namespace grader::box {

/// First dedicated uid/gid; slot N runs as kBoxUidBase + N. No /etc/passwd entry is needed.
constexpr uid_t kBoxUidBase = 60000;
/// The uid/gid the program sees inside a user namespace (never 0).
constexpr uid_t kNamespaceUid = 1000;

/// The identity inside the box.
struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  bool user_namespace = false;  ///< true when not root: one mapping, setgroups denied
};

/// Root: kBoxUidBase + slot, no user namespace. Otherwise kNamespaceUid in a user namespace.
Identity box_identity(const Options& options);

/// Writes the one-line uid/gid maps of the init process `pid` (supervisor side, user-namespace
/// mode only): inside uid/gid -> the caller's uid/gid, after denying setgroups.
void map_user_namespace(pid_t pid, const Identity& identity);

/// In the program's process, just before exec: new session (no TIOCSTI into the caller's
/// terminal), no supplementary groups, the box uid/gid, empty bounding/ambient/effective/
/// permitted/inheritable capability sets (checked afterwards) and PR_SET_NO_NEW_PRIVS.
/// Throws BoxError("identity").
void drop_identity(const Identity& identity);

}  // namespace grader::box
