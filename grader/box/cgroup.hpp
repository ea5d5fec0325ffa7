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

/// The slot's cgroup. v1 (hybrid hosts): memory, pids and cpuacct hierarchies; init enters
/// them itself by writing "0" to each `tasks` file through descriptors the supervisor opened
/// (a move of the calling thread skips the global threadgroup lock that makes writes of other
/// pids, or to `cgroup.procs`, cost 10+ ms after idle). v2: a leaf under a delegated subtree,
/// entered at birth with clone3(CLONE_INTO_CGROUP).
class Cgroup {
 public:
  enum class Version { V1, V2 };

  /// Finds the slot's directories in the hierarchies, creating `<root>/slot-N` if needed
  /// (both remembered in `<state_dir>/cgroup-slot-N`). Returns nullopt with `why` set when no
  /// usable cgroup exists (not root and nothing delegated); throws BoxError when a usable one
  /// misbehaves.
  static std::optional<Cgroup> locate(const Options& options, const std::string& state_dir,
                                      std::string& why);

  /// Before each run: applies the limits (writing only what changed since the last run of
  /// this slot), kills leftovers of an earlier crashed run, resets the peak and snapshots the
  /// counters. v2: also opens the leaf for clone_into_fd(). Throws BoxError("cgroup").
  void prepare_run(const Options& options);

  /// v2 boxes are born in the cgroup (clone_into_fd); v1 boxes enter it after clone.
  bool attached_at_clone() const { return version_ == Version::V2; }

  Version version() const { return version_; }
  /// Which controllers are in force, for the result record: e.g. "v1:memory,pids,cpuacct".
  std::string describe() const;
  bool limits_memory() const { return has("memory"); }
  bool limits_processes() const { return has("pids"); }

  /// v1: write-only descriptors of the slot's `tasks` files, for attach_self() in init. Empty
  /// on v2.
  std::vector<int> open_tasks_files() const;
  /// v2: an O_PATH descriptor of the leaf for CLONE_INTO_CGROUP; -1 on v1.
  int clone_into_fd() const { return leaf_fd_; }

  /// The counters now; the first call's values are the baseline of the run. `with_peak`
  /// false skips the memory peak (left 0).
  CgroupCounters read_counters(bool with_peak = true) const;
  /// Only the CPU time counter (the supervisor polls it during the run).
  std::int64_t cpu_ns() const;
  const CgroupCounters& baseline() const { return baseline_; }
  /// The run's memory peak from the counters read after it: v1 resets the peak before each
  /// run, v2 since Linux 6.12 through a descriptor; an older v2 keeps the peak of every run of
  /// the slot, so there the run's peak is known only when it is a new high, and 0 otherwise.
  std::int64_t run_memory_peak_bytes(const CgroupCounters& after) const;

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
    std::string name;  ///< memory, pids, cpuacct (v1); memory, pids, cpu (v2, one directory)
    std::string slot;  ///< absolute directory of the slot cgroup
  };
  Cgroup() = default;
  void discover(const Options& options, std::string& why);
  bool load_layout(const std::string& path, const std::string& key);
  void save_layout() const;
  bool has(const std::string& name) const;
  const Controller* find(const std::string& name) const;
  void apply_limits_v1(const Options& options);
  void apply_limits_v2(const Options& options);
  std::vector<int> procs() const;

  Version version_ = Version::V1;
  std::vector<Controller> controllers_;
  int leaf_fd_ = -1;
  int peak_fd_ = -1;          ///< v2: memory.peak, open across the run
  bool peak_resets_ = false;  ///< v2: the write through peak_fd_ reset the peak (Linux 6.12+)
  CgroupCounters baseline_;
  std::string layout_path_;  ///< <state_dir>/cgroup-slot-N
  std::string layout_key_;   ///< what the layout depends on (see locate)
};

/// In init (single-threaded): moves the calling process into the cgroups whose `tasks` files
/// are open on `fds` (Cgroup::open_tasks_files), then closes them. Throws BoxError("cgroup").
void attach_self(const std::vector<int>& fds);

/// The memory limit of the slot cgroup in bytes for --memory-mib (exactly that many MiB).
std::int64_t cgroup_memory_bytes(const Options& options);

}  // namespace grader::box
