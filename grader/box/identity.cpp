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

Identity box_identity(const Options& options) {
  Identity id;
  if (geteuid() == 0) {
    id.uid = kBoxUidBase + static_cast<uid_t>(options.slot);
    id.gid = id.uid;
  } else {
    id.uid = kNamespaceUid;
    id.gid = kNamespaceUid;
    id.user_namespace = true;
  }
  return id;
}

void map_user_namespace(pid_t pid, const Identity& identity) {
  const std::string proc = "/proc/" + std::to_string(pid);
  if (const int err = write_text(proc + "/setgroups", "deny"); err != 0) {
    fail("user-namespace", "cannot deny setgroups", err);
  }
  const std::string uid_map = std::to_string(identity.uid) + " " + std::to_string(getuid()) + " 1";
  if (const int err = write_text(proc + "/uid_map", uid_map); err != 0) {
    fail("user-namespace", "cannot write uid_map \"" + uid_map + "\"", err);
  }
  const std::string gid_map = std::to_string(identity.gid) + " " + std::to_string(getgid()) + " 1";
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
  if (!identity.user_namespace && setgroups(0, nullptr) != 0) fail(kStep, "setgroups");
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
