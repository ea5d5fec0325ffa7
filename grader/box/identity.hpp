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

/// How the box is built. Root: the supervisor has CAP_SYS_ADMIN and creates the namespaces
/// itself; the program runs as kBoxUidBase + slot. User namespace: the namespaces are created
/// inside a new user namespace (no capability needed where the kernel allows it); the program
/// runs as kNamespaceUid inside.
enum class Mode { Root, UserNamespace };

const char* to_string(Mode mode);

/// Whether the calling process has capability `cap` in its effective set.
bool has_capability(int cap);

/// The mode to try first: root where this process has CAP_SYS_ADMIN, whatever its uid, else a
/// user namespace (the launcher falls back to it when the kernel refuses root mode's clone).
Mode preferred_mode();

/// The identity inside the box.
struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  bool user_namespace = false;
  /// User-namespace mode only: what the box's uid/gid are outside. The caller's own, except
  /// for root (with CAP_SETUID and CAP_SETGID, as in a container without CAP_SYS_ADMIN): then
  /// kBoxUidBase + slot, as in root mode, and `map_root`.
  uid_t outside_uid = 0;
  gid_t outside_gid = 0;
  /// Root's user namespace maps inside 0 to outside 0 as well, so that init prepares the box
  /// as root mode's init does (its own capabilities reach only the namespace), and allows
  /// setgroups, so that the program keeps none of root's supplementary groups.
  bool map_root = false;
};

/// Root mode: kBoxUidBase + slot, no user namespace. User-namespace mode: kNamespaceUid in a
/// user namespace, mapped as `Identity` says. Throws BoxError("identity") for root without
/// CAP_SETUID/CAP_SETGID in user-namespace mode (its box would be root outside).
Identity box_identity(const Options& options, Mode mode);

/// Writes the uid/gid maps of the init process `pid` (supervisor side, user-namespace mode
/// only): unprivileged, one line each (inside uid/gid -> the caller's) after denying setgroups;
/// for root, inside 0 -> 0 and inside kNamespaceUid -> kBoxUidBase + slot.
void map_user_namespace(pid_t pid, const Identity& identity);

/// In the program's process, just before exec: new session (no TIOCSTI into the caller's
/// terminal), no supplementary groups, the box uid/gid, empty bounding/ambient/effective/
/// permitted/inheritable capability sets (checked afterwards) and PR_SET_NO_NEW_PRIVS.
/// Throws BoxError("identity").
void drop_identity(const Identity& identity);

}  // namespace grader::box
