// index.html: the class dashboard, one self-contained file (style and script inline, no
// network). Every piece of student text goes through xml_escape.

#include <fmt/format.h>

#include <algorithm>

#include "grader/report_formats.hpp"
#include "grader/similarity_formats.hpp"
#include "grader/summary.hpp"
#include "report/escape.hpp"
#include "report/feedback.hpp"
#include "report/html_assets.hpp"

namespace grader {
namespace {

using detail::xml_escape;

// Student output shown in a detail section, at most.
constexpr std::size_t kOutputLimit = 4000;

std::string esc(std::string_view text) { return xml_escape(text, true); }

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

std::string status_span(SubmissionStatus status) {
  return fmt::format("<span class=\"status status-{0}\">{0}</span>", to_string(status));
}

std::string capped(const std::string& text) {
  if (text.size() <= kOutputLimit) return text;
  return text.substr(0, kOutputLimit) + "\n[... cut]";
}

constexpr SubmissionStatus kStatuses[] = {SubmissionStatus::Graded, SubmissionStatus::CompileError,
                                          SubmissionStatus::Invalid,
                                          SubmissionStatus::InternalError};

class HtmlReporter final : public WholeReportReporter {
 public:
  explicit HtmlReporter(std::ostream& out) : out_(out) {}

  void render() override {
    const ClassSummary summary = summarize(report_);
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>Grades: " << esc(report_.exercise) << "</title>\n<style>"
         << detail::kDashboardStyle << "</style>\n</head>\n<body data-selfcheck=\"pending\">\n";
    out_ << "<header><h1>Grades: " << esc(report_.exercise) << "</h1><p>"
         << fmt::format("{} submission{} &middot; grader {} &middot; sandbox: {}", summary.total,
                        summary.total == 1 ? "" : "s", esc(report_.grader_version),
                        esc(report_.sandbox))
         << (report_.unsafe ? " &middot; <strong>graded WITHOUT a sandbox</strong>" : "")
         << "</p></header>\n<main>\n";
    cards(summary);
    out_ << "<div class=\"grid\">\n";
    histogram(summary);
    task_rates(summary);
    out_ << "</div>\n";
    mistakes(summary);
    table(summary);
    details();
    if (report_.similarity) write_similarity_section(*report_.similarity, out_);
    out_ << "<pre id=\"js-errors\" hidden></pre>\n</main>\n<script>" << detail::kDashboardScript
         << "</script>\n</body>\n</html>\n";
    out_.flush();
  }

 private:
  void cards(const ClassSummary& summary) {
    out_ << "<section id=\"summary\"><h2>Class summary</h2><div class=\"cards\">\n";
    out_ << fmt::format(
        "<div class=\"card\"><span class=\"n\" id=\"total-count\">{}</span>"
        "<span class=\"l\">submissions</span></div>\n",
        summary.total);
    for (const SubmissionStatus status : kStatuses) {
      out_ << fmt::format(
          "<div class=\"card\"><span class=\"n\" data-status-count=\"{0}\">{1}</span>"
          "<span class=\"l status-{0}\">{0}</span></div>\n",
          to_string(status), summary.by_status[static_cast<std::size_t>(status)]);
    }
    out_ << fmt::format(
        "<div class=\"card\"><span class=\"n\" id=\"mean-score\" data-value=\"{}\">{}</span>"
        "<span class=\"l\">mean score ({:.2f} / {})</span></div>\n",
        format_number(summary.mean_fraction), percent(summary.mean_fraction), summary.mean_score,
        format_number(summary.max_score));
    out_ << fmt::format(
        "<div class=\"card\"><span class=\"n\" id=\"median-score\" data-value=\"{}\">{}</span>"
        "<span class=\"l\">median score ({:.2f} / {})</span></div>\n",
        format_number(summary.median_fraction), percent(summary.median_fraction),
        summary.median_score, format_number(summary.max_score));
    out_ << "</div></section>\n";
  }

  void histogram(const ClassSummary& summary) {
    constexpr int kWidth = 520, kHeight = 240, kLeft = 30, kBottom = 36, kTop = 18;
    const int slot = (kWidth - kLeft) / static_cast<int>(kHistogramBins);
    const std::size_t peak = std::max<std::size_t>(
        1, *std::max_element(summary.histogram.begin(), summary.histogram.end()));
    out_ << "<section id=\"distribution\"><h2>Score distribution</h2>\n";
    out_ << fmt::format(
        "<svg id=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"number of submissions per score "
        "band\">\n",
        kWidth, kHeight);
    const int plot = kHeight - kBottom - kTop;
    out_ << fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#8c959f\"/>\n",
                        kLeft, kHeight - kBottom, kWidth);
    for (std::size_t i = 0; i < kHistogramBins; ++i) {
      const std::size_t count = summary.histogram[i];
      const int height = static_cast<int>(static_cast<double>(plot) * static_cast<double>(count) /
                                          static_cast<double>(peak));
      const int x = kLeft + static_cast<int>(i) * slot;
      const int y = kHeight - kBottom - height;
      const int low = static_cast<int>(i) * 10;
      const std::string label = i + 1 == kHistogramBins ? fmt::format("{}-100", low)
                                                        : fmt::format("{}-{}", low, low + 10);
      out_ << fmt::format(
          "<g class=\"bar\" data-bin=\"{}\" data-count=\"{}\"><title>{}%: {} submission{}</title>"
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"
          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}%</text></g>\n",
          i, count, label, count, count == 1 ? "" : "s", x + 3, y, slot - 6, height, x + slot / 2,
          y - 4, count, x + slot / 2, kHeight - kBottom + 14, label);
    }
    out_ << fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">score (% of the "
        "maximum)</text>\n</svg></section>\n",
        kLeft + (kWidth - kLeft) / 2, kHeight - 4);
  }

  void task_rates(const ClassSummary& summary) {
    out_ << "<section id=\"tasks\"><h2>Pass rate per task</h2>\n"
            "<table id=\"task-table\"><thead><tr><th>task</th><th>every case passed</th>"
            "<th class=\"num\">submissions</th></tr></thead><tbody>\n";
    for (const TaskStats& t : summary.tasks) {
      out_ << fmt::format(
          "<tr data-task=\"{0}\" data-passed=\"{1}\" data-total=\"{2}\"><th>{0}</th>"
          "<td><div class=\"meter\"><span style=\"width:{3:.1f}%\"></span></div></td>"
          "<td class=\"num\">{1}/{2} ({4})</td></tr>\n",
          esc(t.id), t.passed, t.total, 100.0 * t.pass_rate(), percent(t.pass_rate()));
    }
    out_ << "</tbody></table></section>\n";
  }

  void mistakes(const ClassSummary& summary) {
    out_ << "<section id=\"mistakes\"><h2>Most frequent diagnosed mistakes</h2>\n";
    if (summary.mistakes.empty()) {
      out_ << "<p class=\"muted\">No mistake was diagnosed.</p></section>\n";
      return;
    }
    out_ << "<table id=\"mistake-table\"><thead><tr><th>mistake</th><th>task</th>"
            "<th class=\"num\">submissions</th><th>hint</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < summary.mistakes.size() && i < 10; ++i) {
      const MistakeCount& m = summary.mistakes[i];
      out_ << fmt::format(
          "<tr data-mistake=\"{0}\" data-count=\"{2}\"><td>{0}</td><td>{1}</td>"
          "<td class=\"num\">{2}</td><td class=\"hint\">{3}</td></tr>\n",
          esc(m.name), esc(m.task), m.count, esc(m.hint));
    }
    out_ << "</tbody></table></section>\n";
  }

  void table(const ClassSummary& summary) {
    out_ << "<section id=\"class\"><h2>Submissions</h2>\n<table id=\"submissions\"><thead><tr>"
            "<th data-key=\"id\" data-type=\"text\"><button>id</button></th>"
            "<th data-key=\"language\" data-type=\"text\"><button>language</button></th>"
            "<th data-key=\"status\" data-type=\"text\"><button>status</button></th>"
            "<th data-key=\"score\" data-type=\"num\" class=\"num\"><button>score</button></th>";
    for (const TaskStats& t : summary.tasks) {
      out_ << fmt::format(
          "<th data-key=\"task-{0}\" data-type=\"num\" class=\"num\"><button>{0}</button></th>",
          esc(t.id));
    }
    out_ << "<th data-key=\"notes\" data-type=\"text\"><button>diagnoses / reason</button></th>"
            "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < report_.submissions.size(); ++i) {
      const SubmissionResult& s = report_.submissions[i];
      const double fraction = score_fraction(s);
      out_ << fmt::format(
          "<tr data-id=\"{0}\" data-status=\"{1}\" data-score=\"{2}\" data-fraction=\"{3}\">"
          "<td data-value=\"{0}\"><a href=\"#sub-{4}\">{0}</a></td><td>{5}</td><td>{6}</td>"
          "<td class=\"num\" data-value=\"{2}\">{2} / {7}</td>",
          esc(s.id), to_string(s.status), format_number(s.score), format_number(fraction), i,
          s.language ? to_string(*s.language) : "-", status_span(s.status),
          format_number(s.max_score));
      for (const TaskStats& ts : summary.tasks) {
        auto t = std::find_if(s.tasks.begin(), s.tasks.end(),
                              [&](const TaskResult& tr) { return tr.id == ts.id; });
        if (t == s.tasks.end()) {
          out_ << "<td class=\"num\" data-value=\"-1\">-</td>";
        } else {
          out_ << fmt::format("<td class=\"num{}\" data-value=\"{}\">{}/{}</td>",
                              task_passed(*t) ? "" : " partial", format_number(t->score),
                              t->passed(), t->cases.size());
        }
      }
      const std::string notes = s.status == SubmissionStatus::Graded
                                    ? fmt::format("{}", fmt::join(diagnosis_names(s), "; "))
                                    : ungraded_reason(s);
      out_ << "<td>" << esc(notes) << "</td></tr>\n";
    }
    out_ << "</tbody></table></section>\n";
  }

  void details() {
    out_ << "<section id=\"details\"><h2>Details</h2>\n";
    for (std::size_t i = 0; i < report_.submissions.size(); ++i) {
      const SubmissionResult& s = report_.submissions[i];
      out_ << fmt::format(
          "<article class=\"submission\" id=\"sub-{}\"><h3>{}</h3><p>{} &middot; {} / {} "
          "&middot; {} &middot; <span class=\"muted\">{} &middot; {} ms</span></p>\n",
          i, esc(s.id), status_span(s.status), format_number(s.score), format_number(s.max_score),
          s.language ? to_string(*s.language) : "unknown language", esc(s.path), s.duration_ms);
      if (s.status == SubmissionStatus::CompileError) {
        out_ << "<p>The build failed: <strong>" << esc(ungraded_reason(s)) << "</strong></p>\n";
        if (!s.compile_output.empty()) {
          out_ << "<pre class=\"compile\">" << esc(capped(s.compile_output)) << "</pre>\n";
        }
      } else if (!s.message.empty()) {
        out_ << "<pre class=\"message\">" << esc(capped(s.message)) << "</pre>\n";
      }
      if (!s.tasks.empty()) task_details(s);
      if (!s.stdout_text.empty()) {
        out_ << "<details><summary>printed output (visible cases)</summary><pre>"
             << esc(capped(s.stdout_text)) << "</pre></details>\n";
      }
      out_ << "<p><a href=\"#class\">back to the table</a></p></article>\n";
    }
    out_ << "</section>\n";
  }

  void task_details(const SubmissionResult& s) {
    out_ << "<table class=\"tasks\"><thead><tr><th>task</th><th class=\"num\">score</th>"
            "<th class=\"num\">cases passed</th><th>diagnosis</th></tr></thead><tbody>\n";
    for (const TaskResult& t : s.tasks) {
      out_ << fmt::format(
          "<tr><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num{}\">{}/{}</td>"
          "<td>{}</td></tr>\n",
          esc(t.id), format_number(t.score), format_number(t.max_score),
          task_passed(t) ? "" : " partial", t.passed(), t.cases.size(),
          t.diagnosis ? esc(diagnosis_name(*t.diagnosis)) : "");
    }
    out_ << "</tbody></table>\n";
    for (const TaskResult& t : s.tasks) {
      if (task_passed(t)) continue;
      out_ << "<h4>" << esc(t.id) << "</h4>\n";
      if (const CaseResult* c = detail::first_failing_visible(t)) {
        out_ << "<dl class=\"case\">";
        for (const auto& [label, value] : detail::case_fields(t, *c)) {
          out_ << "<dt>" << esc(label) << "</dt><dd>" << esc(value) << "</dd>";
        }
        out_ << "</dl>\n";
      }
      const auto [passed, total] = detail::count_cases(t, Visibility::Hidden);
      if (passed < total) {
        out_ << fmt::format("<p class=\"muted\">{} of {} hidden cases failed.</p>\n",
                            total - passed, total);
      }
      if (t.diagnosis) {
        out_ << "<p class=\"hint\">hint: " << esc(t.diagnosis->hint) << "</p>\n";
      }
    }
  }

  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> make_html_reporter(std::ostream& out) {
  return std::make_unique<HtmlReporter>(out);
}

}  // namespace grader
