#pragma once
/// \file
/// The report's vocabulary as types: case and submission statuses, visibility, languages.

#include <optional>
#include <string>
#include <string_view>

namespace grader {

/// Outcome of one case. Spelled in the report as `passed`, `wrong_answer`, ...
enum class CaseStatus {
  Passed,
  WrongAnswer,
  WrongShape,  ///< a vector or matrix of another length or shape than expected
  NotANumber,
  RuntimeError,
  Timeout,
  MemoryLimit,
  OutputLimit,
  Missing,
  NotRun,
  SecurityViolation,
};

/// Outcome of one submission as a whole.
enum class SubmissionStatus { Graded, CompileError, Invalid, InternalError };

/// Whether a case's details may be shown to the student.
enum class Visibility { Visible, Hidden };

/// The languages a submission can be written in.
enum class Language { Cpp, Python };

/// Report spelling of each value (`wrong_answer`, `compile_error`, `hidden`, `cpp`).
std::string_view to_string(CaseStatus status);
std::string_view to_string(SubmissionStatus status);
std::string_view to_string(Visibility visibility);
std::string_view to_string(Language language);

/// Inverse of to_string; std::nullopt for an unknown spelling.
std::optional<CaseStatus> parse_case_status(std::string_view text);
std::optional<SubmissionStatus> parse_submission_status(std::string_view text);
std::optional<Visibility> parse_visibility(std::string_view text);
std::optional<Language> parse_language(std::string_view text);

}  // namespace grader
