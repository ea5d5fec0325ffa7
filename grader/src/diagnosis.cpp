// Turning a failing task's numbers into a hint a student can learn from (NUMERICS.md section 8).

#include <fmt/format.h>

#include <cmath>

#include "grader/grading.hpp"

namespace grader {
namespace {

// How close a ratio must be to a telling value (-1, 1/2, 2) to count.
constexpr double kRatioSlack = 1e-6;
// Relative errors in this range mean "right formula, single precision".
constexpr double kFloatLow = 1e-9;
constexpr double kFloatHigh = 1e-6;

}  // namespace

std::optional<Diagnosis> diagnose_task(const TaskSpec& task, std::size_t task_index,
                                       const std::vector<GradedCase>& cases,
                                       const std::vector<std::optional<double>>& answers,
                                       const std::vector<CaseStatus>& statuses,
                                       const std::vector<MistakeModel>& mistakes) {
  std::vector<std::size_t> failing;
  bool all_numeric = true;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].spec.task != task_index || statuses[i] == CaseStatus::Passed) continue;
    failing.push_back(i);
    if (!answers[i] || !std::isfinite(*answers[i])) all_numeric = false;
  }
  // Crashes, timeouts and missing functions have their own messages; hints are about numbers.
  if (failing.empty() || !all_numeric) return std::nullopt;

  // 1. A known mistake that reproduces the student's answer on every failing case, if unique.
  const MistakeModel* match = nullptr;
  int matches = 0;
  for (const MistakeModel& mistake : mistakes) {
    if (std::find(mistake.tasks.begin(), mistake.tasks.end(), task.id) == mistake.tasks.end()) {
      continue;
    }
    bool all = true;
    for (std::size_t i : failing) {
      const std::optional<double>& m = mistake.answers.at(i);
      if (!m || !compare(*answers[i], *m, task.tolerance).passed) {
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

  // 2. A ratio that holds on every failing case.
  const auto ratio_everywhere = [&](double wanted) {
    for (std::size_t i : failing) {
      if (cases[i].expected == 0.0) return false;
      if (std::fabs(*answers[i] / cases[i].expected - wanted) > kRatioSlack) return false;
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

  // 3. Precision: about 7 correct digits everywhere it fails.
  bool precision = true;
  for (std::size_t i : failing) {
    const double expected = cases[i].expected;
    const double rel = std::fabs(*answers[i] - expected) / std::fabs(expected);
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

}  // namespace grader
