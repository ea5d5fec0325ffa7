#pragma once
/// \file
/// The grader's own failures: one exception hierarchy, each class carrying its exit code.
/// A student's failure is never an exception; it is data in the report (see report.hpp).

#include <stdexcept>
#include <string>

namespace grader {

/// Process exit codes of `grader` (fixed contract, DESIGN.md section 2).
enum class ExitCode : int {
  Ok = 0,               ///< grading completed, whatever the scores
  BelowMinScore = 1,    ///< completed, but a submission scored below --min-score
  Usage = 2,            ///< bad command line or argument
  SpecOrToolchain = 3,  ///< invalid exercise spec, missing toolchain, or no sandbox possible here
  Internal = 4,         ///< the grader's own failure (sandbox, report writing, anything unexpected)
};

/// Base of every error the grader reports about itself. Only `main` catches these.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  /// The exit code `main` returns for this error.
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

/// A bad command line: unknown path, malformed flag value. Exit code 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ExitCode::Usage, message) {}
};

/// A missing or invalid exercise spec, harness or reference. Exit code 3.
/// The message names the file, the JSON path and the offending value.
class SpecError : public Error {
 public:
  explicit SpecError(const std::string& message) : Error(ExitCode::SpecOrToolchain, message) {}
};

/// A compiler or interpreter that is missing or unusable. Exit code 3.
class ToolchainError : public Error {
 public:
  explicit ToolchainError(const std::string& message) : Error(ExitCode::SpecOrToolchain, message) {}
};

/// No sandbox can be built on this machine for this process (no namespaces in any mode): the
/// environment's fault, like a missing compiler, so exit code 3. The message says what to
/// change (grader doctor has the details).
class SandboxUnavailableError : public Error {
 public:
  explicit SandboxUnavailableError(const std::string& message)
      : Error(ExitCode::SpecOrToolchain, message) {}
};

/// The sandbox could not be built, spawned or read. Exit code 4.
class SandboxError : public Error {
 public:
  explicit SandboxError(const std::string& message) : Error(ExitCode::Internal, message) {}
};

/// A report that could not be written. Exit code 4.
class ReportError : public Error {
 public:
  explicit ReportError(const std::string& message) : Error(ExitCode::Internal, message) {}
};

/// The server's storage (database or uploaded files) failed. Exit code 4.
class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message) : Error(ExitCode::Internal, message) {}
};

}  // namespace grader
