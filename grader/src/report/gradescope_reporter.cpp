// Gradescope's results.json for one submission (the autograder specification's output format).
// The scheme (visible and after_due_date test per task) is documented in report_formats.hpp.

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "grader/report_formats.hpp"
#include "report/feedback.hpp"

namespace grader {
namespace {

using ordered = nlohmann::ordered_json;

// Gradescope's output is capped by us, not by them: a flood of compiler output stays readable.
constexpr std::size_t kOutputLimit = 8000;

std::string capped(const std::string& text) {
  if (text.size() <= kOutputLimit) return text;
  return text.substr(0, kOutputLimit) + "\n[... cut]\n";
}

// Scores are finite by construction; JSON cannot hold anything else, so guard anyway.
double finite(double value) { return std::isfinite(value) ? value : 0.0; }

ordered make_test(const std::string& name, const std::string& number, double score,
                  double max_score, bool passed, const std::string& output,
                  const char* visibility) {
  ordered t;
  t["name"] = name;
  t["number"] = number;
  t["score"] = finite(score);
  t["max_score"] = finite(max_score);
  t["status"] = passed ? "passed" : "failed";
  t["output"] = capped(output);
  t["output_format"] = "text";
  t["visibility"] = visibility;
  return t;
}

// The tests of one graded task: its visible cases, then its hidden ones.
void task_tests(const TaskResult& task, std::size_t index, ordered& tests) {
  const auto [visible_passed, visible_total] = detail::count_cases(task, Visibility::Visible);
  const auto [hidden_passed, hidden_total] = detail::count_cases(task, Visibility::Hidden);
  const double total = static_cast<double>(task.cases.size());
  const double per_case = total > 0 ? task.max_score / total : 0.0;
  const CaseResult* failing = detail::first_failing_visible(task);
  const std::string hint =
      task.diagnosis ? fmt::format("hint: {}\n", task.diagnosis->hint) : std::string();

  if (visible_total > 0 || hidden_total == 0) {
    std::string output;
    if (failing != nullptr) {
      for (const auto& [label, value] : detail::case_fields(task, *failing)) {
        output += fmt::format("{}: {}\n", label, value);
      }
      output += hint;
    } else if (visible_total == 0) {
      output = "no case was run\n";
    }
    output = fmt::format("{} of {} visible case{} passed\n", visible_passed, visible_total,
                         visible_total == 1 ? "" : "s") +
             output;
    tests.push_back(
        make_test(fmt::format("{} (visible cases)", task.id), fmt::format("{}.1", index + 1),
                  per_case * static_cast<double>(visible_passed),
                  total > 0 ? per_case * static_cast<double>(visible_total) : task.max_score,
                  visible_total > 0 && visible_passed == visible_total, output, "visible"));
  }
  if (hidden_total > 0) {
    std::string output = fmt::format("{} of {} hidden case{} passed\n", hidden_passed, hidden_total,
                                     hidden_total == 1 ? "" : "s");
    if (hidden_passed < hidden_total && failing == nullptr) output += hint;
    tests.push_back(make_test(
        fmt::format("{} (hidden cases)", task.id), fmt::format("{}.2", index + 1),
        per_case * static_cast<double>(hidden_passed), per_case * static_cast<double>(hidden_total),
        hidden_passed == hidden_total, output, "after_due_date"));
  }
}

std::string overall_output(const SubmissionResult& s) {
  std::string text = fmt::format("Score: {} / {} ({})\n", format_number(s.score),
                                 format_number(s.max_score), to_string(s.status));
  switch (s.status) {
    case SubmissionStatus::Graded:
      for (const TaskResult& t : s.tasks) {
        text += fmt::format("  {}: {} / {} ({} of {} cases passed)\n", t.id, format_number(t.score),
                            format_number(t.max_score), t.passed(), t.cases.size());
      }
      if (!s.message.empty()) text += "\n" + s.message + "\n";
      break;
    case SubmissionStatus::CompileError:
      text += "\nThe build failed:\n" + (s.compile_output.empty() ? s.message : s.compile_output);
      break;
    case SubmissionStatus::Invalid:
      text += "\nNothing could be graded: " + s.message + "\n";
      break;
    case SubmissionStatus::InternalError:
      text +=
          "\nThe grader itself failed (not your fault; tell your instructor): " + s.message + "\n";
      break;
  }
  return capped(text);
}

class GradescopeReporter final : public Reporter {
 public:
  explicit GradescopeReporter(std::ostream& out) : out_(out) {}

  void begin(const Report& header) override {
    exercise_ = header.exercise;
    grader_version_ = header.grader_version;
    sandbox_ = header.sandbox + (header.unsafe ? " (--unsafe-no-sandbox)" : "");
  }

  void add(const SubmissionResult& submission) override {
    if (!submission_) submission_ = submission;
  }

  void finish() override {
    ordered root;
    ordered tests = ordered::array();
    if (!submission_) {
      root["score"] = 0.0;
      root["output"] = "No submission was graded.";
    } else {
      const SubmissionResult& s = *submission_;
      root["score"] = finite(s.score);
      root["execution_time"] = (std::max<std::int64_t>(0, s.duration_ms) + 500) / 1000;
      root["output"] = overall_output(s);
      for (std::size_t i = 0; i < s.tasks.size(); ++i) {
        const TaskResult& t = s.tasks[i];
        if (s.status == SubmissionStatus::Graded) {
          task_tests(t, i, tests);
        } else {
          tests.push_back(make_test(t.id, fmt::format("{}.1", i + 1), 0.0, t.max_score, false,
                                    std::string(to_string(s.status)), "visible"));
        }
      }
    }
    // For the instructor only (Gradescope never shows hidden tests or extra_data to students):
    // how the work was isolated, which decides what the limits could catch.
    tests.push_back(make_test("Grading environment (instructors only)", "0", 0.0, 0.0, true,
                              "graded in: " + sandbox_ + "\n", "hidden"));
    root["output_format"] = "text";
    root["visibility"] = "visible";
    root["stdout_visibility"] = "hidden";
    root["tests"] = tests;
    ordered extra = {
        {"exercise", exercise_}, {"grader_version", grader_version_}, {"sandbox", sandbox_}};
    if (submission_) {
      extra["status"] = to_string(submission_->status);
      extra["language"] =
          submission_->language ? ordered(to_string(*submission_->language)) : ordered(nullptr);
      extra["max_score"] = finite(submission_->max_score);
    }
    root["extra_data"] = extra;
    out_ << root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  std::string exercise_;
  std::string grader_version_;
  std::string sandbox_;
  std::optional<SubmissionResult> submission_;
};

}  // namespace

std::unique_ptr<Reporter> make_gradescope_reporter(std::ostream& out) {
  return std::make_unique<GradescopeReporter>(out);
}

}  // namespace grader
