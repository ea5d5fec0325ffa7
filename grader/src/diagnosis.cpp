// Turning a failing task's numbers into a hint a student can learn from (NUMERICS.md section 8).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "grader/grading.hpp"
#include "grader/report.hpp"

namespace grader {
namespace {

// How close a ratio must be to a telling value (-1, 1/2, 2) to count.
constexpr double kRatioSlack = 1e-6;
// Relative errors in this range mean "right formula, single precision".
constexpr double kFloatLow = 1e-9;
constexpr double kFloatHigh = 1e-6;

// The elements of the failing cases side by side: (answer, expected), every answer of the
// expected shape. Vectors and matrices count element by element.
using Pairs = std::vector<std::pair<double, double>>;

Pairs element_pairs(const std::vector<std::size_t>& failing, const std::vector<GradedCase>& cases,
                    const std::vector<std::optional<Value>>& answers) {
  Pairs pairs;
  for (std::size_t i : failing) {
    const Value& a = *answers[i];
    const Value& e = cases[i].expected;
    for (std::size_t k = 0; k < e.elements.size(); ++k)
      pairs.emplace_back(a.elements[k], e.elements[k]);
  }
  return pairs;
}

// The value every failing answer shares, when there are at least two and the expected values
// differ among them (a constant answer to varying questions: the inputs never reach it).
std::optional<double> constant_answer(const Pairs& pairs) {
  if (pairs.size() < 2) return std::nullopt;
  const double first = pairs.front().first;
  bool expected_vary = false;
  for (const auto& [answer, expected] : pairs) {
    if (answer != first) return std::nullopt;
    if (expected != pairs.front().second) expected_vary = true;
  }
  if (!expected_vary) return std::nullopt;
  return first == 0.0 ? 0.0 : first;  // -0 reads as 0
}

bool whole(double x) { return std::isfinite(x) && std::trunc(x) == x; }

// Every failing answer a whole number (at least two of them), where no failing expected value
// is one.
bool whole_where_fractional(const Pairs& pairs) {
  if (pairs.size() < 2) return false;
  for (const auto& [answer, expected] : pairs) {
    if (!whole(answer) || whole(expected)) return false;
  }
  return true;
}

// Hints from the shapes of the failing answers, when they are not the expected ones: the same
// number of elements too many or too few everywhere (a loop bound), or rows and columns swapped
// (a transposed matrix, or operands in the wrong order).
std::optional<Diagnosis> diagnose_shapes(const TaskSpec& task,
                                         const std::vector<std::size_t>& failing,
                                         const std::vector<GradedCase>& cases,
                                         const std::vector<std::optional<Value>>& answers) {
  std::optional<long long> extra;
  bool same_extra = true;
  bool transposed = true;
  bool any_transposed = false;
  for (std::size_t i : failing) {
    const Value& a = *answers[i];
    const Value& e = cases[i].expected;
    if (a.type != e.type) return std::nullopt;
    const long long difference =
        static_cast<long long>(a.type == ValueType::Matrix ? a.row_lengths.size()
                                                           : a.elements.size()) -
        static_cast<long long>(e.type == ValueType::Matrix ? e.row_lengths.size()
                                                           : e.elements.size());
    if (extra && *extra != difference) same_extra = false;
    extra = difference;
    if (e.type == ValueType::Matrix && a.rectangular() && !e.row_lengths.empty() &&
        !a.row_lengths.empty()) {
      const bool swapped = a.row_lengths.size() == e.row_lengths.front() &&
                           a.row_lengths.front() == e.row_lengths.size();
      const bool square = e.row_lengths.size() == e.row_lengths.front();
      if (!swapped) transposed = false;
      if (swapped && !square) any_transposed = true;
    } else {
      transposed = false;
    }
  }
  if (transposed && any_transposed) {
    return Diagnosis{"shape", "",
                     fmt::format("{} gives the expected shape with rows and columns swapped: is "
                                 "a matrix transposed, or are the operands in the wrong order?",
                                 task.id)};
  }
  if (same_extra && extra && *extra != 0) {
    const long long n = *extra > 0 ? *extra : -*extra;
    const char* what = task.returns == ValueType::Matrix ? "row" : "element";
    return Diagnosis{"shape", "",
                     fmt::format("every failing result of {} has {} {}{} {} than expected: "
                                 "look at the bounds of the loop that fills it (one iteration "
                                 "too {}, or a value added before or after the loop)",
                                 task.id, n, what, n == 1 ? "" : "s", *extra > 0 ? "more" : "fewer",
                                 *extra > 0 ? "many" : "few")};
  }
  return std::nullopt;
}

// Hints from the numbers of the failing cases alone (every one of them a finite answer). A
// known mistake may also give a result of another shape than expected (one epoch too many, a
// transposed matrix); the patterns of the numbers need the expected shape (`shapes_match`).
std::optional<Diagnosis> diagnose_numbers(const TaskSpec& task,
                                          const std::vector<std::size_t>& failing,
                                          const std::vector<GradedCase>& cases,
                                          const std::vector<std::optional<Value>>& answers,
                                          const std::vector<MistakeModel>& mistakes,
                                          bool shapes_match) {
  // 1. A known mistake that reproduces the student's answer on every failing case, if unique.
  const MistakeModel* match = nullptr;
  int matches = 0;
  for (const MistakeModel& mistake : mistakes) {
    if (std::find(mistake.tasks.begin(), mistake.tasks.end(), task.id) == mistake.tasks.end()) {
      continue;
    }
    bool all = true;
    for (std::size_t i : failing) {
      const std::optional<Value>& m = mistake.answers.at(i);
      if (!m || !compare_values(*answers[i], *m, task.tolerance).passed) {
        all = false;
        break;
      }
    }
    if (all) {
      match = &mistake;
      ++matches;
    }
  }
  if (matches == 1) return Diagnosis{"mistake", match->name, match->hint};
  if (!shapes_match) return diagnose_shapes(task, failing, cases, answers);

  // 2. A ratio that holds on every failing case.
  const Pairs pairs = element_pairs(failing, cases, answers);
  if (pairs.empty()) return std::nullopt;
  const auto ratio_everywhere = [&](double wanted) {
    for (const auto& [answer, expected] : pairs) {
      if (expected == 0.0) return false;
      if (std::fabs(answer / expected - wanted) > kRatioSlack) return false;
    }
    return true;
  };
  if (ratio_everywhere(-1.0)) {
    return Diagnosis{"ratio", "",
                     fmt::format("your {} has the right size but the wrong sign on every failing "
                                 "case: check the sign of each factor",
                                 task.id)};
  }
  if (ratio_everywhere(0.5)) {
    return Diagnosis{"ratio", "",
                     fmt::format("your {} is exactly half the expected value on every failing "
                                 "case: is a factor 2 missing?",
                                 task.id)};
  }
  if (ratio_everywhere(2.0)) {
    return Diagnosis{"ratio", "",
                     fmt::format("your {} is exactly twice the expected value on every failing "
                                 "case: is there an extra factor 2?",
                                 task.id)};
  }

  // 3. One answer whatever the inputs.
  if (const std::optional<double> value = constant_answer(pairs)) {
    if (*value == 0.0) {
      return Diagnosis{"constant", "",
                       fmt::format("every failing answer of {} is 0, whatever the inputs: look "
                                   "for integer division or truncation (an int where a double "
                                   "belongs), or a value that is never assigned",
                                   task.id)};
    }
    return Diagnosis{"constant", "",
                     fmt::format("every failing answer of {} is {}, whatever the inputs: the "
                                 "result does not depend on them; look for a value that is "
                                 "never updated, an early return, or integer truncation",
                                 task.id, format_number(*value))};
  }

  // 4. Whole numbers where the expected values have fractions.
  if (whole_where_fractional(pairs)) {
    return Diagnosis{"whole_numbers", "",
                     fmt::format("your {} gives whole numbers where the expected values have "
                                 "fractions: look for integer arithmetic (an int variable or "
                                 "return type, integer division such as 1 / 2) or rounding",
                                 task.id)};
  }

  // 5. Precision: about 7 correct digits everywhere it fails.
  bool precision = true;
  for (const auto& [answer, expected] : pairs) {
    const double rel = std::fabs(answer - expected) / std::fabs(expected);
    if (expected == 0.0 || !(rel > kFloatLow && rel <= kFloatHigh)) {
      precision = false;
      break;
    }
  }
  if (precision) {
    return Diagnosis{"precision", "",
                     "about 7 correct digits: are you computing in float (single precision) "
                     "instead of double?"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Diagnosis> diagnose_task(const TaskSpec& task, std::size_t task_index,
                                       const std::vector<GradedCase>& cases,
                                       const std::vector<std::optional<Value>>& answers,
                                       const std::vector<CaseStatus>& statuses,
                                       const std::vector<MistakeModel>& mistakes) {
  std::vector<std::size_t> failing;
  bool all_numeric = true;
  bool shapes_match = true;
  std::size_t visible = 0;
  std::size_t failing_visible = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].spec.task != task_index) continue;
    const bool shown = cases[i].spec.visibility == Visibility::Visible;
    visible += shown ? 1 : 0;
    if (statuses[i] == CaseStatus::Passed) continue;
    failing.push_back(i);
    failing_visible += shown ? 1 : 0;
    if (!answers[i] || !all_finite(*answers[i])) {
      all_numeric = false;
    } else if (!compare_values(*answers[i], cases[i].expected, task.tolerance)
                    .shape_error.empty()) {
      shapes_match = false;
    }
  }
  if (failing.empty()) return std::nullopt;
  // Crashes, timeouts and missing functions have their own messages; these hints are about
  // numbers.
  if (all_numeric) {
    if (auto d = diagnose_numbers(task, failing, cases, answers, mistakes, shapes_match)) return d;
  }
  // 6. Right on every case the student can see, wrong on hidden ones (whatever went wrong
  // there: hidden cases show only their status, so this is all the student learns).
  if (visible > 0 && failing_visible == 0) {
    return Diagnosis{"visible_only", "",
                     fmt::format("{} passes every visible case but fails {} hidden one{}: it "
                                 "must compute the formula for any input, not only for the "
                                 "examples shown; try inputs of your own (large, negative, zero)",
                                 task.id, failing.size(), failing.size() == 1 ? "" : "s")};
  }
  return std::nullopt;
}

}  // namespace grader
