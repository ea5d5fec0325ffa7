#pragma once
// Words for a failed task, shared by the class formats (Gradescope, JUnit, Markdown, HTML), so
// that each says the same thing about the same case. Hidden cases contribute only counts.

#include <string>
#include <utility>
#include <vector>

#include "grader/report.hpp"

namespace grader::detail {

/// Vectors and matrices longer than this are cut in feedback ("[1, 2, ...]").
inline constexpr std::size_t kShownElements = 12;

/// The first visible case of `task` that did not pass, or nullptr.
const CaseResult* first_failing_visible(const TaskResult& task);

/// Counts of `task`'s cases of one visibility: {passed, total}.
std::pair<std::size_t, std::size_t> count_cases(const TaskResult& task, Visibility visibility);

/// "forward(weight=0.5, input=1, bias=0)".
std::string case_call(const TaskResult& task, const CaseResult& c);

/// Labelled lines about a visible case: call, expected, actual, absolute and relative error,
/// tolerance, what happened. Values round-trip (17 significant digits at most).
std::vector<std::pair<std::string, std::string>> case_fields(const TaskResult& task,
                                                             const CaseResult& c);

/// A task's failure as plain text: its first failing visible case (case_fields), the number of
/// failing hidden cases, and the hint. Empty when every case passed.
std::string task_feedback(const TaskResult& task);

}  // namespace grader::detail
