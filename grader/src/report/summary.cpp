// Class figures, the batch summary and the progress line; see summary.hpp.

#include "grader/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace grader {
namespace {

std::string first_line(const std::string& text) {
  const std::size_t start = text.find_first_not_of("\n");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find('\n', start) - start);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  double sum = 0.0;
  for (const double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

std::string duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  if (total >= 3600) {
    return fmt::format("{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60);
  }
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

}  // namespace

double TaskStats::pass_rate() const {
  return total == 0 ? 0.0 : static_cast<double>(passed) / static_cast<double>(total);
}

double score_fraction(const SubmissionResult& submission) {
  if (!(submission.max_score > 0) || !std::isfinite(submission.score)) return 0.0;
  return submission.score / submission.max_score;
}

std::size_t histogram_bin(double fraction) {
  if (!(fraction > 0)) return 0;  // also NaN
  const double bin = std::floor(fraction * static_cast<double>(kHistogramBins));
  return std::min(kHistogramBins - 1, static_cast<std::size_t>(bin));
}

std::string diagnosis_name(const Diagnosis& diagnosis) {
  return diagnosis.mistake.empty() ? diagnosis.kind : diagnosis.mistake;
}

std::vector<std::string> diagnosis_names(const SubmissionResult& submission) {
  std::vector<std::string> names;
  for (const TaskResult& task : submission.tasks) {
    if (task.diagnosis) names.push_back(diagnosis_name(*task.diagnosis));
  }
  return names;
}

bool task_passed(const TaskResult& task) {
  return !task.cases.empty() && task.passed() == task.cases.size();
}

std::string ungraded_reason(const SubmissionResult& s) {
  if (s.status == SubmissionStatus::CompileError) {
    if (!s.compile_errors.empty()) {
      const CompilerMessage& e = s.compile_errors.front();
      return fmt::format("{}:{}: {}", e.file, e.line, first_line(e.message));
    }
    if (const std::string line = first_line(s.compile_output); !line.empty()) return line;
  }
  const std::string line = first_line(s.message);
  return line.empty() ? std::string(to_string(s.status)) : line;
}

ClassSummary summarize(const Report& report) {
  ClassSummary summary;
  summary.total = report.submissions.size();
  std::vector<double> fractions;
  std::vector<double> scores;
  std::map<std::pair<std::string, std::string>, MistakeCount> mistakes;  // by (name, task)
  // Task ids in order of first appearance; a submission without a task has not passed it.
  for (const SubmissionResult& s : report.submissions) {
    for (const TaskResult& t : s.tasks) {
      auto it = std::find_if(summary.tasks.begin(), summary.tasks.end(),
                             [&](const TaskStats& ts) { return ts.id == t.id; });
      if (it == summary.tasks.end()) {
        summary.tasks.push_back(TaskStats{t.id, t.max_score, 0, 0});
      } else {
        it->max_score = std::max(it->max_score, t.max_score);
      }
    }
  }
  for (const SubmissionResult& s : report.submissions) {
    ++summary.by_status[static_cast<std::size_t>(s.status)];
    const double fraction = score_fraction(s);
    fractions.push_back(fraction);
    scores.push_back(std::isfinite(s.score) ? s.score : 0.0);
    summary.max_score = std::max(summary.max_score, s.max_score);
    ++summary.histogram[histogram_bin(fraction)];
    for (TaskStats& ts : summary.tasks) {
      ++ts.total;
      auto t = std::find_if(s.tasks.begin(), s.tasks.end(),
                            [&](const TaskResult& tr) { return tr.id == ts.id; });
      if (t != s.tasks.end() && s.status == SubmissionStatus::Graded && task_passed(*t)) {
        ++ts.passed;
      }
    }
    for (const TaskResult& t : s.tasks) {
      if (!t.diagnosis) continue;
      const std::string name = diagnosis_name(*t.diagnosis);
      MistakeCount& m = mistakes[{name, t.id}];
      m.name = name;
      m.task = t.id;
      if (m.hint.empty()) m.hint = t.diagnosis->hint;
      ++m.count;
    }
    if (s.status != SubmissionStatus::Graded) {
      summary.ungraded.push_back(Ungraded{s.id, s.status, ungraded_reason(s)});
    }
  }
  summary.mean_fraction = mean(fractions);
  summary.median_fraction = median(fractions);
  summary.mean_score = mean(scores);
  summary.median_score = median(scores);
  for (auto& [key, m] : mistakes) summary.mistakes.push_back(m);
  std::stable_sort(summary.mistakes.begin(), summary.mistakes.end(),
                   [](const MistakeCount& a, const MistakeCount& b) { return a.count > b.count; });
  return summary;
}

void print_class_summary(const ClassSummary& summary, std::ostream& out, std::size_t top) {
  static constexpr SubmissionStatus kStatuses[] = {
      SubmissionStatus::Graded, SubmissionStatus::CompileError, SubmissionStatus::Invalid,
      SubmissionStatus::InternalError};
  std::vector<std::string> counts;
  for (const SubmissionStatus status : kStatuses) {
    const std::size_t n = summary.by_status[static_cast<std::size_t>(status)];
    if (n > 0 || status == SubmissionStatus::Graded) {
      counts.push_back(fmt::format("{} {}", n, to_string(status)));
    }
  }
  out << fmt::format("\n{} submission{}: {}\n", summary.total, summary.total == 1 ? "" : "s",
                     fmt::join(counts, ", "));
  if (summary.total == 0) return;
  out << fmt::format("score: mean {:.2f} / {} ({}), median {:.2f} / {} ({})\n", summary.mean_score,
                     format_number(summary.max_score), percent(summary.mean_fraction),
                     summary.median_score, format_number(summary.max_score),
                     percent(summary.median_fraction));
  if (!summary.tasks.empty()) {
    out << "task pass rate (every case passed):\n";
    for (const TaskStats& t : summary.tasks) {
      out << fmt::format("  {:<20} {:>4}/{:<4} {:>6}\n", t.id, t.passed, t.total,
                         percent(t.pass_rate()));
    }
  }
  if (!summary.mistakes.empty()) {
    out << "most frequent diagnosed mistakes:\n";
    for (std::size_t i = 0; i < summary.mistakes.size() && i < top; ++i) {
      const MistakeCount& m = summary.mistakes[i];
      out << fmt::format("  {:>4}  {}: {}\n", m.count, m.task, m.name);
    }
  }
  if (!summary.ungraded.empty()) {
    out << fmt::format("not graded ({}):\n", summary.ungraded.size());
    for (const Ungraded& u : summary.ungraded) {
      out << fmt::format("  {:<28} {:<14} {}\n", u.id, to_string(u.status), u.reason);
    }
  }
}

std::string format_progress(const BatchProgress& progress, double elapsed_s) {
  const std::size_t width = fmt::format("{}", progress.total).size();
  std::string line = fmt::format("[{:>{}}/{}] {:>3}%", progress.done, width, progress.total,
                                 progress.total == 0 ? 100 : progress.done * 100 / progress.total);
  if (progress.done > 0 && elapsed_s > 0) {
    const double rate = static_cast<double>(progress.done) / elapsed_s;
    const double remaining = static_cast<double>(progress.total - progress.done) / rate;
    line += fmt::format("  {:.1f}/s  ETA {}", rate, duration(remaining));
  }
  line += fmt::format("  {} failed", progress.failures);
  return line;
}

ProgressLine::ProgressLine(std::ostream& out, bool enabled)
    : out_(out),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

void ProgressLine::update(const BatchProgress& progress) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (progress.done < progress.total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = format_progress(progress, elapsed);
  const std::size_t length = line.size();
  if (length < width_) line.append(width_ - length, ' ');  // erase the longer line drawn before
  width_ = length;
  out_ << '\r' << line << std::flush;
}

void ProgressLine::clear() {
  if (!enabled_ || width_ == 0) return;
  out_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
  width_ = 0;
}

}  // namespace grader
