// Shared pieces of the report model.

#include <fmt/format.h>

#include <cmath>

#include "grader/report.hpp"

namespace grader {

std::size_t TaskResult::passed() const {
  std::size_t count = 0;
  for (const CaseResult& c : cases) count += c.status == CaseStatus::Passed ? 1 : 0;
  return count;
}

void write_report(Reporter& reporter, const Report& report) {
  reporter.begin(report);
  for (const SubmissionResult& s : report.submissions) reporter.add(s);
  reporter.finish();
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // fmt's default for double is the shortest text that reads back to the same double.
  return fmt::format("{}", value);
}

}  // namespace grader
