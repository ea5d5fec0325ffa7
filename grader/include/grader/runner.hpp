#pragma once
/// \file
/// The harness protocol (docs/protocols.md, section 2) from the grader's side: runs a built
/// program on a list of cases, restarting it after a crash so that one bad call costs only
/// the cases it touches.

#include <filesystem>
#include <string>
#include <vector>

#include "grader/sandbox.hpp"
#include "grader/status.hpp"
#include "grader/toolchain.hpp"
#include "grader/value.hpp"

namespace grader {

/// A case as the harness sees it: inputs, never the expected value.
struct HarnessCase {
  std::size_t task = 0;  ///< which task; a timeout skips the rest of this task
  std::string function;  ///< the function to call
  Visibility visibility = Visibility::Visible;
  std::vector<Value> args;
  ValueType returns = ValueType::Number;  ///< how to read the result
};

/// What became of one case.
struct CaseRun {
  enum class Kind { Value, Missing, Exception, BadType, Died, NotRun };
  Kind kind = Kind::NotRun;
  Value value;          ///< Kind::Value
  std::string note;     ///< Kind::Value: "float32" or empty
  std::string message;  ///< Exception: "TYPE: MESSAGE"; BadType: type name; Died: what happened
  CaseStatus died_status = CaseStatus::RuntimeError;  ///< Kind::Died: the status it earns
};

/// All cases of one program.
struct RunnerResult {
  std::vector<CaseRun> runs;  ///< parallel to the cases given
  std::string stdout_text;    ///< what the program printed outside hidden cases, capped
  std::string stderr_text;    ///< likewise for stderr
  std::string load_error;     ///< set when the submission could not even be loaded
  /// Set when the launch's own check of the sources failed before anything of them ran
  /// (Python's syntax check): the compiler-style diagnostics. No case has run.
  std::string build_error;
  int launches = 0;         ///< how many times the program was started
  std::int64_t cpu_ms = 0;  ///< CPU time of all launches
};

/// Largest stdout or stderr kept per submission.
inline constexpr std::size_t kMaxCapturedOutputBytes = 8 * 1024;

/// Runs `program` on `cases` in `sandbox`, box `slot`, using `work_dir` for scratch files.
/// After a crash inside a call the program is restarted at the next case; after a timeout the
/// remaining cases of that task are `NotRun`, and likewise after a memory kill. Ends after at most
/// one launch per case. \throws SandboxError when the sandbox fails.
RunnerResult run_cases(const Program& program, const std::vector<HarnessCase>& cases,
                       Sandbox& sandbox, const SandboxLimits& limits,
                       const std::filesystem::path& work_dir, int slot);

/// Undoes the protocol's escaping (`\\`, `\n`, `\t`, `\r`).
std::string unescape_message(const std::string& text);

}  // namespace grader
