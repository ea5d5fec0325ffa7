// The cgroup hierarchies of this machine as this process sees them, and the operations that
// span them rather than one slot's cgroup: the probe for `grader doctor` and releasing a slot.
#pragma once

#include <string>
#include <vector>

#include "options.hpp"

namespace grader::box {

/// One mounted cgroup hierarchy and where this process sits in it.
struct Hierarchy {
  bool v2 = false;
  std::vector<std::string> controllers;  ///< v1 only: those of memory, pids, cpuacct it has
  std::string mount_point;
  std::string mount_root;  ///< the hierarchy path visible at mount_point
  std::string own_path;    ///< this process's path in it, from /proc/self/cgroup
};

/// The cgroup2 hierarchy and the v1 hierarchies holding memory, pids or cpuacct, from
/// /proc/self/mountinfo and /proc/self/cgroup (about 0.4 ms: not for every run).
std::vector<Hierarchy> find_hierarchies();

/// Absolute directory of hierarchy path `path` (e.g. "/grader/slot-0") under `h`'s mount.
std::string directory_of(const Hierarchy& h, std::string path);

/// What release_slot_cgroups() did.
struct SlotRelease {
  int removed = 0;                ///< directories removed
  std::vector<std::string> left;  ///< why each of the others stays (e.g. it holds processes)
};

/// Removes every cgroup directory of slot `options.slot` that this user owns: those of its
/// layout file and any `grader/slot-N` (or `<--cgroup-root>/slot-N`) under another parent,
/// left there by graders that ran from other cgroups; then the layout file. Creates nothing.
/// The caller holds the slot's lock.
SlotRelease release_slot_cgroups(const Options& options, const std::string& state_dir);

/// What the cgroup hierarchies of this machine offer, as key=value lines for --probe.
std::string probe_cgroups();

}  // namespace grader::box
