#pragma once
/// \file
/// The only door to untrusted code. Compiles and runs of student code (and of the reference)
/// all go through a Sandbox; the real one spawns `grader-box` (docs/protocols.md, section 1).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace grader {

/// Limits of one run, with their units in their names.
struct SandboxLimits {
  std::int64_t cpu_time_ms = 2000;
  std::int64_t wall_time_ms = 6000;
  std::int64_t memory_mib = 256;
  std::int64_t output_limit_kib = 256;
  std::int64_t channel_limit_kib = 1024;
  std::int64_t file_size_kib = 16384;
  std::int64_t box_size_mib = 64;
  std::int64_t max_processes = 32;
  std::int64_t open_files = 64;
};

/// One program to run in a fresh box.
struct RunRequest {
  std::vector<std::string> argv;  ///< argv[0] as seen inside the box (`/usr/bin/g++`, `./x`)
  std::filesystem::path box_dir;  ///< host folder whose regular files are copied into /box
  std::optional<std::filesystem::path> copy_out_dir;  ///< where /box is copied back after the run
  std::filesystem::path io_dir;  ///< host folder for the captured streams and the result record
  bool channel = false;          ///< give the program fd 3 and capture it
  SandboxLimits limits;
  std::vector<std::string> env;  ///< extra NAME=VALUE entries
  int slot = 0;                  ///< concurrent box number: 0 .. jobs-1
  /// When set, only this folder of /box (relative) is copied back into copy_out_dir.
  std::optional<std::filesystem::path> copy_out_from = std::nullopt;
  /// Files of box_dir (relative) the box may mount read-only instead of copying them in: large
  /// files many runs share. The program sees them at the same place either way, unwritable
  /// where mounted.
  std::vector<std::filesystem::path> read_only_files = {};
};

/// How a run ended, from the program's point of view.
enum class Termination { Exited, Signaled, Timeout, MemoryLimit, OutputLimit, SecurityViolation };

/// What happened in one run. Every field is data about the program, never a grader failure.
struct RunOutcome {
  Termination termination = Termination::Exited;
  int exit_code = 0;
  int signal = 0;
  std::string signal_name;    ///< "SIGSEGV", empty when no signal
  std::string timeout_kind;   ///< "cpu" or "wall" when termination is Timeout
  std::string output_stream;  ///< "stdout", "stderr", "channel" or "file" for OutputLimit
  std::int64_t cpu_ms = 0;
  std::int64_t wall_ms = 0;
  std::int64_t peak_memory_kib = 0;
  bool oom_killed = false;
  bool process_limit_hit = false;
  std::string stdout_text;
  std::string stderr_text;
  std::string channel_text;
  std::string message;  ///< the launcher's own remark, if any
};

/// One sentence describing how a run ended ("killed by SIGSEGV", "exited with code 1").
std::string describe(const RunOutcome& outcome);

/// Runs programs in boxes. Implementations must be safe to call from several threads at once
/// as long as concurrent calls use different slots.
class Sandbox {
 public:
  virtual ~Sandbox() = default;
  /// Runs `request` and returns its outcome.
  /// \throws SandboxError when the sandbox itself fails (not when the program does).
  virtual RunOutcome run(const RunRequest& request) = 0;
  /// A short description for logs and reports ("grader-box, full isolation").
  virtual std::string description() const = 0;
  /// True when runs are not isolated (`--unsafe-no-sandbox`).
  virtual bool unsafe() const = 0;
  /// Waits for what description() may have taken on trust (a remembered probe) and says whether
  /// it held. When false, description() now gives the truth, and everything derived from the
  /// old one (an exercise hash, cache entries, results) must be discarded and made again.
  virtual bool confirm() { return true; }
};

/// How much isolation `grader-box` builds.
enum class Isolation { Full, None };

/// The real sandbox: spawns `launcher` (build/bin/grader-box) for every run. It asks the launcher
/// what this machine offers (`--mode`) at once, in the background. With `memo_dir`, it keeps
/// that answer there, keyed by what decides it, and takes the kept answer as description()
/// until confirm() checks it against this run's.
/// \throws SandboxError when `launcher` does not exist or is not executable.
std::unique_ptr<Sandbox> make_box_sandbox(const std::filesystem::path& launcher,
                                          Isolation isolation,
                                          const std::filesystem::path& memo_dir = {});

/// Asks `launcher` what isolation this machine offers (`grader-box --probe`), then tries a real
/// run in full isolation. Returns readable lines ending with a verdict on whether grading
/// untrusted code is safe here. Never throws: a failure is part of the answer.
std::string probe_sandbox(const std::filesystem::path& launcher);

/// Parses a `grader-box` result record (docs/protocols.md) into `outcome`'s status fields.
/// \throws SandboxError on a record that is incomplete or malformed.
void parse_result_record(const std::string& text, RunOutcome& outcome);

}  // namespace grader
