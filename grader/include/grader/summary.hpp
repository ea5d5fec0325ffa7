#pragma once
/// \file
/// Class-level figures of a report (counts, mean and median, per-task pass rates, frequent
/// mistakes, score histogram), the summary printed after `grader batch`, and the progress line
/// drawn on a terminal while a batch runs. The Markdown and HTML formats use the same figures.

#include <array>
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "grader/batch.hpp"
#include "grader/report.hpp"

namespace grader {

/// Number of bars of the score histogram: bins of 10% of the maximum, the last one closed
/// ([0,10), [10,20), ..., [90,100]).
inline constexpr std::size_t kHistogramBins = 10;

/// Per-task figures over all submissions of a report.
struct TaskStats {
  std::string id;
  double max_score = 0.0;    ///< the task's points (the largest seen)
  std::size_t passed = 0;    ///< submissions that passed every case of the task
  std::size_t total = 0;     ///< all submissions (ungraded ones count as not passed)
  double pass_rate() const;  ///< passed / total, 0 when there are no submissions
};

/// A diagnosed mistake and how many tasks of submissions it was named for.
struct MistakeCount {
  std::string name;  ///< diagnosis_name(): the mistake's name, or the diagnosis kind
  std::string task;
  std::string hint;
  std::size_t count = 0;
};

/// A submission that could not be graded, and why.
struct Ungraded {
  std::string id;
  SubmissionStatus status = SubmissionStatus::Invalid;
  std::string reason;  ///< first line of the message or of the compiler's first error
};

/// The figures of a whole class.
struct ClassSummary {
  std::size_t total = 0;
  std::array<std::size_t, 4> by_status{};  ///< indexed by SubmissionStatus
  double mean_fraction = 0.0;    ///< mean of score / max_score over all submissions (0 when empty)
  double median_fraction = 0.0;  ///< median of the same
  double mean_score = 0.0;       ///< mean of the scores in points
  double median_score = 0.0;
  double max_score = 0.0;                               ///< the largest max_score seen
  std::array<std::size_t, kHistogramBins> histogram{};  ///< submissions per score bin
  std::vector<TaskStats> tasks;                         ///< in order of first appearance
  std::vector<MistakeCount> mistakes;                   ///< most frequent first, then by name
  std::vector<Ungraded> ungraded;                       ///< in report order
};

/// score / max_score of one submission; 0 when max_score is not positive.
double score_fraction(const SubmissionResult& submission);

/// Histogram bin (0 .. kHistogramBins-1) of a score fraction; fractions outside 0..1 are
/// clamped.
std::size_t histogram_bin(double fraction);

/// The short name of a diagnosis: the mistake's name, else its kind ("precision", "ratio").
std::string diagnosis_name(const Diagnosis& diagnosis);

/// The diagnosis names of a submission's tasks, in task order.
std::vector<std::string> diagnosis_names(const SubmissionResult& submission);

/// Whether every case of `task` passed (false for a task with no cases).
bool task_passed(const TaskResult& task);

/// The first line of the reason a submission was not graded (message or first compile error).
std::string ungraded_reason(const SubmissionResult& submission);

/// Computes the class figures of `report`.
ClassSummary summarize(const Report& report);

/// The summary printed after `grader batch`: counts by status, mean and median score, per-task
/// pass rate, the most frequent diagnosed mistakes (at most `top`), and every submission that
/// could not be graded with its reason.
void print_class_summary(const ClassSummary& summary, std::ostream& out, std::size_t top = 5);

/// One progress line: "[ 12/56] 21%  3.4/s  ETA 0:13  2 failed". `elapsed_s` is the time since
/// the batch started; rate and ETA are left out until something is done.
std::string format_progress(const BatchProgress& progress, double elapsed_s);

/// Redraws a progress line on a terminal with "\r" (at most every 100 ms, and always for the
/// last submission) and clears it at the end. Disabled, it writes nothing.
class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool enabled);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  /// Redraws the line; call from one thread at a time (BatchCallback guarantees it).
  void update(const BatchProgress& progress);
  /// Erases the line, so that the summary starts on a clean line.
  void clear();

 private:
  std::ostream& out_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::size_t width_ = 0;  ///< length of the line drawn last
};

}  // namespace grader
