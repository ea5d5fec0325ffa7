#include "identity.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "error.hpp"
#include "files.hpp"

namespace grader::box {
namespace {

constexpr const char* kStep = "identity";

void set_capabilities(const __user_cap_data_struct (&data)[2]) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  if (syscall(SYS_capset, &header, data) != 0) fail(kStep, "capset");
}

}  // namespace

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::Root:
      return "root";
    case Mode::UserNamespace:
      return "user-namespace";
  }
  return "root";
}

bool has_capability(int cap) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[cap / 32].effective & (1u << (cap % 32))) != 0;
}

Mode preferred_mode() { return has_capability(CAP_SYS_ADMIN) ? Mode::Root : Mode::UserNamespace; }

Identity box_identity(const Options& options, Mode mode) {
  Identity id;
  const uid_t slot_uid = kBoxUidBase + static_cast<uid_t>(options.slot);
  if (mode == Mode::Root) {
    id.uid = slot_uid;
    id.gid = id.uid;
    return id;
  }
  id.uid = kNamespaceUid;
  id.gid = kNamespaceUid;
  id.user_namespace = true;
  id.outside_uid = geteuid();
  id.outside_gid = getegid();
  if (geteuid() == 0) {
    if (!has_capability(CAP_SETUID) || !has_capability(CAP_SETGID)) {
      fail(kStep,
           "root without CAP_SYS_ADMIN and without CAP_SETUID/CAP_SETGID: the box could only "
           "run as root outside its user namespace",
           0);
    }
    id.outside_uid = slot_uid;
    id.outside_gid = slot_uid;
    id.map_root = true;
  }
  return id;
}

void map_user_namespace(pid_t pid, const Identity& identity) {
  const std::string proc = "/proc/" + std::to_string(pid);
  if (!identity.map_root) {
    if (const int err = write_text(proc + "/setgroups", "deny"); err != 0) {
      fail("user-namespace", "cannot deny setgroups", err);
    }
  }
  const std::string root_line = identity.map_root ? "0 0 1\n" : "";
  const std::string uid_map =
      root_line + std::to_string(identity.uid) + " " + std::to_string(identity.outside_uid) + " 1";
  if (const int err = write_text(proc + "/uid_map", uid_map); err != 0) {
    fail("user-namespace", "cannot write uid_map \"" + uid_map + "\"", err);
  }
  const std::string gid_map =
      root_line + std::to_string(identity.gid) + " " + std::to_string(identity.outside_gid) + " 1";
  if (const int err = write_text(proc + "/gid_map", gid_map); err != 0) {
    fail("user-namespace", "cannot write gid_map \"" + gid_map + "\"", err);
  }
}

void drop_identity(const Identity& identity) {
  if (setsid() < 0) fail(kStep, "setsid");
  // The bounding set needs CAP_SETPCAP, so it goes before the uid change. EINVAL marks the
  // first number past the kernel's last capability.
  for (int cap = 0; cap <= 63; ++cap) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
    if (errno == EINVAL) break;
    fail(kStep, "cannot drop capability " + std::to_string(cap) + " from the bounding set");
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    fail(kStep, "cannot clear the ambient capabilities");
  }
  const bool own_groups = !identity.user_namespace || identity.map_root;
  if (own_groups && setgroups(0, nullptr) != 0) fail(kStep, "setgroups");
  if (setresgid(identity.gid, identity.gid, identity.gid) != 0) {
    fail(kStep, "setresgid " + std::to_string(identity.gid));
  }
  if (setresuid(identity.uid, identity.uid, identity.uid) != 0) {
    fail(kStep, "setresuid " + std::to_string(identity.uid));
  }
  // In a user namespace the uid was never 0, so the change above kept the capabilities.
  const __user_cap_data_struct none[2] = {};
  set_capabilities(none);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct now[2] = {};
  if (syscall(SYS_capget, &header, now) != 0) fail(kStep, "capget");
  for (const auto& d : now) {
    if (d.effective != 0 || d.permitted != 0 || d.inheritable != 0) {
      fail(kStep, "capabilities remain after the drop", 0);
    }
  }
  uid_t r = 0, e = 0, s = 0;
  if (getresuid(&r, &e, &s) != 0 || r != identity.uid || e != identity.uid || s != identity.uid) {
    fail(kStep, "uid did not change", 0);
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(kStep, "PR_SET_NO_NEW_PRIVS");
}

}  // namespace grader::box
