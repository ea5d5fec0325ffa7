// The command line of grader-box (docs/protocols.md section 1); every limit has a unit and a
// default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace grader::box {

enum class Isolation { Full, None };

/// Everything the caller asked for. Defaults are the ones documented in docs/protocols.md.
struct Options {
  std::string box_dir;                  ///< --box-dir: files copied into /box (required).
  std::optional<std::string> copy_out;  ///< --copy-out: where /box's files go after the run.
  /// --copy-out-from: only this folder of /box (a relative path) is copied out.
  std::optional<std::string> copy_out_from;
  /// --read-only-file: files of --box-dir (relative paths) that full isolation mounts into
  /// /box read-only instead of copying (a large file shared by many runs costs no copy).
  std::vector<std::string> read_only_files;
  std::optional<std::string> stdout_file;
  std::optional<std::string> stderr_file;
  std::optional<std::string> channel_file;
  std::string result_file;  ///< --result (required).

  std::int64_t cpu_time_ms = 2000;
  std::int64_t wall_time_ms = 5000;
  std::int64_t memory_mib = 256;
  std::int64_t output_limit_kib = 16384;
  std::int64_t channel_limit_kib = 1024;
  std::int64_t file_size_kib = 16384;
  std::int64_t box_size_mib = 64;
  std::int64_t max_processes = 64;
  std::int64_t open_files = 64;
  int slot = 0;
  Isolation isolation = Isolation::Full;
  std::optional<std::string> cgroup_root;  ///< --cgroup-root: parent of the slot cgroups.

  std::vector<std::string> env;      ///< NAME=VALUE, in order (the fixed three come first).
  std::vector<std::string> command;  ///< PROGRAM ARGS...

  bool probe = false;  ///< --probe: print what this machine offers and exit.
  bool mode = false;   ///< --mode: print the mode a full-isolation run would use and exit.
  /// --release-slots: remove what the idle slots (or only --slot N) keep between runs (their
  /// namespaces, cgroup directories and remembered layout) and exit.
  bool release_slots = false;
  bool slot_given = false;  ///< --slot appeared on the command line
};

/// Parses argv. Throws UsageError (message without prefix) for anything malformed.
Options parse_options(int argc, char** argv);

/// The one-paragraph usage text printed with usage errors and --help.
const char* usage_text();

}  // namespace grader::box
