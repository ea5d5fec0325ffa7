// summary.md: the class at a glance, for a README, an issue or a course forum.

#include <fmt/format.h>

#include "grader/report_formats.hpp"
#include "grader/summary.hpp"
#include "report/escape.hpp"

namespace grader {
namespace {

using detail::markdown_cell;

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

class MarkdownReporter final : public WholeReportReporter {
 public:
  explicit MarkdownReporter(std::ostream& out) : out_(out) {}

  void render() override {
    const ClassSummary summary = summarize(report_);
    out_ << "# Grades: " << markdown_cell(report_.exercise) << "\n\n";
    if (report_.unsafe) out_ << "**Warning: graded without a sandbox.**\n\n";
    out_ << "## Class summary\n\n| | |\n|---|---:|\n";
    out_ << fmt::format("| submissions | {} |\n", summary.total);
    static constexpr SubmissionStatus kStatuses[] = {
        SubmissionStatus::Graded, SubmissionStatus::CompileError, SubmissionStatus::Invalid,
        SubmissionStatus::InternalError};
    for (const SubmissionStatus status : kStatuses) {
      out_ << fmt::format("| {} | {} |\n", markdown_cell(to_string(status)),
                          summary.by_status[static_cast<std::size_t>(status)]);
    }
    out_ << fmt::format("| mean score | {:.2f} / {} ({}) |\n", summary.mean_score,
                        format_number(summary.max_score), percent(summary.mean_fraction));
    out_ << fmt::format("| median score | {:.2f} / {} ({}) |\n\n", summary.median_score,
                        format_number(summary.max_score), percent(summary.median_fraction));
    if (!summary.tasks.empty()) {
      out_ << "| task | passed | pass rate |\n|---|---:|---:|\n";
      for (const TaskStats& t : summary.tasks) {
        out_ << fmt::format("| {} | {}/{} | {} |\n", markdown_cell(t.id), t.passed, t.total,
                            percent(t.pass_rate()));
      }
      out_ << "\n";
    }
    if (!summary.mistakes.empty()) {
      out_ << "| diagnosed mistake | task | submissions |\n|---|---|---:|\n";
      for (const MistakeCount& m : summary.mistakes) {
        out_ << fmt::format("| {} | {} | {} |\n", markdown_cell(m.name), markdown_cell(m.task),
                            m.count);
      }
      out_ << "\n";
    }
    submissions_table(summary);
    out_.flush();
  }

 private:
  void submissions_table(const ClassSummary& summary) {
    out_ << "## Submissions\n\n| id | language | status | score |";
    std::string rule = "|---|---|---|---:|";
    for (const TaskStats& t : summary.tasks) {
      out_ << " " << markdown_cell(t.id) << " |";
      rule += "---:|";
    }
    out_ << " diagnoses / reason |\n" << rule << "---|\n";
    for (const SubmissionResult& s : report_.submissions) {
      out_ << fmt::format("| {} | {} | {} | {} / {} |", markdown_cell(s.id),
                          s.language ? to_string(*s.language) : "-",
                          markdown_cell(to_string(s.status)), format_number(s.score),
                          format_number(s.max_score));
      for (const TaskStats& ts : summary.tasks) {
        std::string cell = "-";
        for (const TaskResult& t : s.tasks) {
          if (t.id == ts.id) cell = fmt::format("{}/{}", t.passed(), t.cases.size());
        }
        out_ << " " << cell << " |";
      }
      const std::string notes = s.status == SubmissionStatus::Graded
                                    ? fmt::format("{}", fmt::join(diagnosis_names(s), "; "))
                                    : ungraded_reason(s);
      out_ << " " << markdown_cell(notes) << " |\n";
    }
  }

  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> make_markdown_reporter(std::ostream& out) {
  return std::make_unique<MarkdownReporter>(out);
}

}  // namespace grader
