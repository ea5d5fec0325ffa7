// One cgroup per slot, created once and reused: limits for the whole box (memory including
// tmpfs pages, processes) and the counters the verdict needs (OOM kills, pids.max hits, CPU).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace grader::box {

/// Counter values of the slot cgroup; a run's figures are the difference of two snapshots.
struct CgroupCounters {
  std::int64_t cpu_ns = 0;             ///< cpuacct.usage (v1) / cpu.stat usage_usec * 1000 (v2)
  std::int64_t oom_kills = 0;          ///< oom_kill in memory.oom_control (v1) / memory.events
  std::int64_t pids_max_events = 0;    ///< "max" in pids.events: forks refused by pids.max
  std::int64_t memory_peak_bytes = 0;  ///< memory.max_usage_in_bytes (v1 only; reset per run)
};

/// The slot's cgroup. v1 (hybrid hosts): memory, pids and cpuacct hierarchies, entered by the
/// supervisor writing "0" to each `tasks` file (a single-thread move, which skips the global
/// threadgroup lock that makes `cgroup.procs` writes cost 10+ ms), so init is born inside; the
/// supervisor then moves back out. v2: a leaf under a delegated subtree, entered with
/// clone3(CLONE_INTO_CGROUP).
class Cgroup {
 public:
  enum class Version { V1, V2 };

  /// Finds the hierarchy, creates `<root>/slot-N` if needed, applies the limits (writing only
  /// what changed since the last run of this slot), kills leftovers of an earlier crashed run
  /// and snapshots the counters. Returns nullopt with `why` set when no usable cgroup exists
  /// (not root and nothing delegated); throws BoxError when a usable one misbehaves.
  static std::optional<Cgroup> prepare(const Options& options, std::string& why);

  Version version() const { return version_; }
  /// Which controllers are in force, for the result record: e.g. "v1:memory,pids,cpuacct".
  std::string describe() const;
  bool limits_memory() const { return has("memory"); }
  bool limits_processes() const { return has("pids"); }

  /// v1: moves the calling (single-threaded) process into the slot cgroups. No-op on v2.
  void enter();
  /// v1: moves the calling process back where it came from. No-op on v2.
  void leave();
  /// v2: an O_PATH descriptor of the leaf for CLONE_INTO_CGROUP; -1 on v1.
  int clone_into_fd() const { return leaf_fd_; }

  /// The counters now; the first call's values are the baseline of the run.
  CgroupCounters read_counters() const;
  const CgroupCounters& baseline() const { return baseline_; }

  /// SIGKILLs every process still in the slot cgroup and waits (at most 2 s) until it is
  /// empty. Returns the number of processes found.
  int kill_all() const;

  Cgroup(Cgroup&& other) noexcept;
  Cgroup& operator=(Cgroup&&) = delete;
  Cgroup(const Cgroup&) = delete;
  Cgroup& operator=(const Cgroup&) = delete;
  ~Cgroup();

 private:
  struct Controller {
    std::string name;    ///< memory, pids, cpuacct (v1); "unified" (v2)
    std::string slot;    ///< absolute directory of the slot cgroup
    std::string origin;  ///< absolute directory the supervisor came from (v1)
  };
  Cgroup() = default;
  bool has(const std::string& name) const;
  const Controller* find(const std::string& name) const;
  void apply_limits_v1(const Options& options);
  void apply_limits_v2(const Options& options);
  std::vector<int> procs() const;

  Version version_ = Version::V1;
  std::vector<Controller> controllers_;
  int leaf_fd_ = -1;
  CgroupCounters baseline_;
};

/// The memory limit of the slot cgroup in bytes for --memory-mib (exactly that many MiB).
std::int64_t cgroup_memory_bytes(const Options& options);

/// What the cgroup hierarchies of this machine offer, as key=value lines for --probe.
std::string probe_cgroups();

}  // namespace grader::box
