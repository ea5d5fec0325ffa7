// Words for a failed task; see feedback.hpp.

#include "report/feedback.hpp"

#include <fmt/format.h>

#include <cmath>

namespace grader::detail {

const CaseResult* first_failing_visible(const TaskResult& task) {
  for (const CaseResult& c : task.cases) {
    if (c.visibility == Visibility::Visible && c.status != CaseStatus::Passed) return &c;
  }
  return nullptr;
}

std::pair<std::size_t, std::size_t> count_cases(const TaskResult& task, Visibility visibility) {
  std::size_t passed = 0;
  std::size_t total = 0;
  for (const CaseResult& c : task.cases) {
    if (c.visibility != visibility) continue;
    ++total;
    passed += c.status == CaseStatus::Passed ? 1 : 0;
  }
  return {passed, total};
}

std::string case_call(const TaskResult& task, const CaseResult& c) {
  std::string call = task.id + "(";
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    call += fmt::format("{}{}={}", i ? ", " : "", c.inputs[i].first,
                        format_value(c.inputs[i].second, kShownElements));
  }
  return call + ")";
}

std::vector<std::pair<std::string, std::string>> case_fields(const TaskResult& task,
                                                             const CaseResult& c) {
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back("case", c.id);
  fields.emplace_back("status", std::string(to_string(c.status)));
  fields.emplace_back("call", case_call(task, c));
  fields.emplace_back("expected", format_value(c.expected, kShownElements));
  fields.emplace_back("actual", c.actual ? format_value(*c.actual, kShownElements) : "none");
  if (c.actual && all_finite(*c.actual) && c.status != CaseStatus::WrongShape) {
    fields.emplace_back("absolute error", fmt::format("{:.3g}", c.abs_error));
    fields.emplace_back("relative error", std::isnan(c.rel_error)
                                              ? std::string("n/a (expected value is 0)")
                                              : fmt::format("{:.3g}", c.rel_error));
  }
  fields.emplace_back("tolerance",
                      fmt::format("|error| <= max(atol {:g}, rtol {:g} x |expected|) = {:.3g}",
                                  c.tolerance.atol, c.tolerance.rtol, c.allowed));
  if (!c.message.empty()) fields.emplace_back("error", c.message);
  return fields;
}

std::string task_feedback(const TaskResult& task) {
  if (!task.cases.empty() && task.passed() == task.cases.size()) return "";
  std::string text;
  if (const CaseResult* c = first_failing_visible(task)) {
    for (const auto& [label, value] : case_fields(task, *c)) {
      text += fmt::format("{}: {}\n", label, value);
    }
  }
  const auto [hidden_passed, hidden_total] = count_cases(task, Visibility::Hidden);
  if (hidden_passed < hidden_total) {
    text += fmt::format("{} of {} hidden case{} failed (hidden cases show only their status)\n",
                        hidden_total - hidden_passed, hidden_total, hidden_total == 1 ? "" : "s");
  }
  if (task.cases.empty()) text += "no case was run\n";
  if (task.diagnosis) text += fmt::format("hint: {}\n", task.diagnosis->hint);
  return text;
}

}  // namespace grader::detail
