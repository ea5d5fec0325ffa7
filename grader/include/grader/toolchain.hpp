#pragma once
/// \file
/// Turning a submission into something the runner can start: C++ through g++ (compile the
/// student's files, link the harness compiled once), Python through a syntax check. Every
/// compiler and interpreter runs inside the Sandbox like any untrusted step.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "grader/exercise.hpp"
#include "grader/sandbox.hpp"
#include "grader/submission.hpp"

namespace grader {

/// A built program: what to run inside the box, and the host folder copied into /box for it.
/// The runner appends the path of the cases file to `argv`.
struct Program {
  std::vector<std::string> argv;
  std::filesystem::path files_dir;
  std::vector<std::string> env = {};  ///< extra NAME=VALUE entries for its runs
};

/// One error of the compiler or of the syntax check, located in the submission's files.
struct CompilerMessage {
  std::string file;  ///< relative to the submission
  int line = 0;
  int column = 0;
  std::string message;
};

/// Largest compiler output kept in a report.
inline constexpr std::size_t kMaxDiagnosticsBytes = 16 * 1024;

/// Result of building one submission.
struct BuildResult {
  bool ok = false;
  std::string diagnostics;              ///< compiler output, paths relative to the submission
  std::vector<CompilerMessage> errors;  ///< the errors found in `diagnostics`, in order
  Program program;                      ///< valid when ok
};

/// A language's way from sources to a runnable program.
class Toolchain {
 public:
  virtual ~Toolchain() = default;
  virtual Language language() const = 0;
  /// Done once per grader run, before any build: compiles the exercise's harness.
  /// \throws ToolchainError when the compiler or interpreter is missing;
  ///         SpecError when the exercise's harness does not build.
  virtual void prepare(const std::filesystem::path& work_dir) = 0;
  /// Before `prepare`: the submissions a batch is about to build, so that what several of them
  /// share can be made in the background, in box `slot`, while `prepare` runs. Optional.
  virtual void expect(const std::vector<Submission>& submissions, int slot) {
    (void)submissions;
    (void)slot;
  }
  /// Builds `submission` inside `work_dir`, a fresh folder private to this build, in box `slot`.
  /// A compile error is a result, never an exception.
  virtual BuildResult build(const Submission& submission, const std::filesystem::path& work_dir,
                            int slot) = 0;
  /// What identifies this toolchain's results (compiler version and flags), for cache keys.
  virtual std::string identity() const = 0;
  /// Files that `prepare` made in its work folder (relative paths, e.g. the compiled harness)
  /// and that a later `prepare` with the same identity and exercise may reuse: when such a file
  /// is already present (restored from the cache), `prepare` uses it instead of rebuilding it.
  virtual std::vector<std::filesystem::path> prepared_files() const { return {}; }
  /// The functions a built `program` defines, as `name(parameter types)` (C++, demangled) or a
  /// bare `name` (C linkage), so that a function the harness cannot find can be reported as
  /// defined with another signature. Asked only when a function was missing; empty when the
  /// toolchain cannot tell. \throws SandboxError when the sandbox fails.
  virtual std::vector<std::string> defined_functions(const Program& program, int slot) {
    (void)program;
    (void)slot;
    return {};
  }
};

/// What the student defined instead of task function `name` (from Toolchain::defined_functions):
/// the entries named `name` with other parameters, with C linkage, or inside a namespace or
/// class. Empty when none.
std::vector<std::string> near_definitions(const std::vector<std::string>& defined,
                                          const std::string& name);

/// g++ in C++17, `-O2 -ffp-contract=off`, never `-ffast-math` or `-march=native`.
/// \throws ToolchainError when /usr/bin/g++ is missing; SpecError when the exercise has no C++.
std::unique_ptr<Toolchain> make_gxx_toolchain(const ExerciseSpec& spec, Sandbox& sandbox);

/// Python 3: `interpreter` (empty: the exercise's, else /usr/bin/python3), run with `-I -B`.
/// With a `sandbox`, `prepare` compiles the harness once in it (launches then skip compiling
/// it); without, only `identity` and `build` are meant to be used.
/// \throws ToolchainError when the interpreter is missing; SpecError when the exercise has no
///         Python harness.
std::unique_ptr<Toolchain> make_python_toolchain(const ExerciseSpec& spec,
                                                 const std::string& interpreter,
                                                 Sandbox* sandbox = nullptr);

/// Finds `file:line:col: error: message` lines (g++'s and our syntax checker's format).
std::vector<CompilerMessage> parse_compiler_errors(const std::string& diagnostics);

/// The compile limits of the exercise as sandbox limits.
SandboxLimits compile_limits(const ExerciseLimits& limits);

/// The run limits of the exercise as sandbox limits.
SandboxLimits run_limits(const ExerciseLimits& limits);

}  // namespace grader
