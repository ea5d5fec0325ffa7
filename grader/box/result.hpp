// The result record (docs/protocols.md section 1): what happened to the program, decided from
// the facts the supervisor collected, written as key=value lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace grader::box {

enum class Verdict { Exited, Signaled, Timeout, MemoryLimit, OutputLimit, SecurityViolation };
enum class TimeoutKind { Cpu, Wall };
enum class Stream { Stdout, Stderr, Channel, File };

const char* to_string(Verdict verdict);
const char* to_string(TimeoutKind kind);
const char* to_string(Stream stream);

/// "SIGSEGV" for 11; "SIG<number>" for numbers without a name.
std::string signal_name(int signal);

/// Raw facts about one run, gathered by the supervisor.
struct Evidence {
  std::optional<int> program_status;  ///< wait status of the program (pid 2), if it was reaped
  bool sigsys_seen = false;           ///< some process of the box died of SIGSYS
  std::optional<Stream> overflow;     ///< the supervisor killed the box: this stream was full
  bool wall_expired = false;          ///< the supervisor killed the box: wall clock
  bool cpu_expired = false;           ///< the supervisor killed the box: cgroup CPU total
  std::int64_t oom_kills = 0;         ///< OOM kills in the slot cgroup during the run
  std::int64_t pids_max_events = 0;   ///< forks refused by pids.max during the run
};

/// The record. Fields that do not apply to the verdict are not written.
struct RunResult {
  Verdict verdict = Verdict::Exited;
  int exit_code = 0;
  int signal = 0;  ///< 0: not killed by a signal
  std::optional<TimeoutKind> timeout_kind;
  std::optional<Stream> output_stream;
  std::int64_t cpu_ms = 0;
  std::int64_t wall_ms = 0;
  std::int64_t peak_memory_kib = 0;  ///< largest resident set of one process of the box
  std::int64_t box_memory_peak_kib =
      0;  ///< peak of the slot cgroup (tmpfs and cache incl.); 0 if unknown
  bool oom_killed = false;
  bool process_limit_hit = false;
  std::string isolation;  ///< full | none
  std::string mode;       ///< root | user-namespace | none: how the box was built
  std::string cgroup;     ///< e.g. v1:memory,pids,cpuacct, or none
  std::string message;    ///< one line, free text
};

/// Maps evidence to a verdict, in this order: output cap hit by the supervisor; OOM kill
/// (even if only a child died); wall clock; cgroup CPU total; then pid 2's fate: SIGXCPU ->
/// timeout cpu, SIGXFSZ -> output_limit file, SIGSYS (or any SIGSYS death in the box) ->
/// security_violation, other signal -> signaled, else exited. Fills verdict, exit_code,
/// signal, timeout_kind, output_stream, oom_killed and process_limit_hit.
void decide_verdict(const Evidence& evidence, RunResult& result);

/// Writes the record to `path` (created or truncated). Throws BoxError("result").
void write_result(const std::string& path, const RunResult& result);

}  // namespace grader::box
