// junit.xml in the Apache Ant dialect (junit-ant.xsd): CI dashboards read it.

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>

#include "grader/report_formats.hpp"
#include "grader/summary.hpp"
#include "report/escape.hpp"
#include "report/feedback.hpp"

namespace grader {
namespace {

using detail::xml_escape;

std::string attr(std::string_view text) { return xml_escape(text, true); }

// The schema's ISO 8601 pattern has no time zone: UTC, said in no other way.
std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  return buffer;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return "localhost";
  return buffer;
}

// xs:token with minLength 1: a name made only of white space would not validate.
std::string token(const std::string& text, const char* fallback) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos ? fallback : text;
}

class JunitReporter final : public Reporter {
 public:
  explicit JunitReporter(std::ostream& out) : out_(out) {}

  void begin(const Report& header) override {
    exercise_ = token(header.exercise, "exercise");
    timestamp_ = utc_timestamp();
    hostname_ = host_name();
    index_ = 0;
    out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  }

  void add(const SubmissionResult& s) override {
    const std::string name = token(s.id, "unnamed");
    const std::string classname = exercise_ + "." + name;
    std::string cases;
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    if (s.status == SubmissionStatus::Graded) {
      for (const TaskResult& t : s.tasks) {
        ++tests;
        cases += testcase_open(t.id, classname);
        if (!task_passed(t)) {
          ++failures;
          cases += failure(t);
        }
        cases += "    </testcase>\n";
      }
    } else {
      // Nothing ran: one error per known task, or a single "build" case when none is known.
      const std::string type(to_string(s.status));
      const std::string text =
          s.status == SubmissionStatus::CompileError && !s.compile_output.empty() ? s.compile_output
                                                                                  : s.message;
      const std::vector<std::string> names = task_names(s);
      for (const std::string& task : names) {
        ++tests;
        ++errors;
        cases += testcase_open(task, classname);
        cases += fmt::format("      <error type=\"{}\" message=\"{}\">{}</error>\n", attr(type),
                             attr(ungraded_reason(s)), xml_escape(text));
        cases += "    </testcase>\n";
      }
    }
    out_ << fmt::format(
        "  <testsuite package=\"{}\" id=\"{}\" name=\"{}\" timestamp=\"{}\" hostname=\"{}\" "
        "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3f}\">\n",
        attr(exercise_), index_++, attr(name), timestamp_, attr(hostname_), tests, failures, errors,
        static_cast<double>(std::max<std::int64_t>(0, s.duration_ms)) / 1000.0);
    out_ << "    <properties>\n";
    property("exercise", exercise_);
    property("path", s.path);
    property("status", std::string(to_string(s.status)));
    property("language", s.language ? std::string(to_string(*s.language)) : "");
    property("score", format_number(s.score));
    property("max_score", format_number(s.max_score));
    out_ << "    </properties>\n" << cases;
    out_ << "    <system-out>" << xml_escape(s.stdout_text) << "</system-out>\n";
    out_ << "    <system-err>" << xml_escape(s.stderr_text) << "</system-err>\n";
    out_ << "  </testsuite>\n";
  }

  void finish() override {
    out_ << "</testsuites>\n";
    out_.flush();
  }

 private:
  static std::vector<std::string> task_names(const SubmissionResult& s) {
    std::vector<std::string> names;
    for (const TaskResult& t : s.tasks) names.push_back(token(t.id, "task"));
    if (names.empty()) names.emplace_back("build");
    return names;
  }

  static std::string testcase_open(const std::string& task, const std::string& classname) {
    return fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n",
                       attr(token(task, "task")), attr(classname));
  }

  // The first failing visible case in full, or only the hidden cases' count.
  static std::string failure(const TaskResult& t) {
    std::string message;
    std::string type;
    if (const CaseResult* c = detail::first_failing_visible(t)) {
      message = fmt::format("{}: {}", c->id, to_string(c->status));
      type = std::string(to_string(c->status));
    } else {
      const auto [passed, total] = detail::count_cases(t, Visibility::Hidden);
      message = fmt::format("{} of {} hidden cases failed", total - passed, total);
      type = "hidden_cases_failed";
    }
    if (t.diagnosis) message += fmt::format(" ({})", diagnosis_name(*t.diagnosis));
    return fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", attr(type),
                       attr(message), xml_escape(detail::task_feedback(t)));
  }

  void property(const char* name, const std::string& value) {
    out_ << fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, attr(value));
  }

  std::ostream& out_;
  std::string exercise_;
  std::string timestamp_;
  std::string hostname_;
  std::size_t index_ = 0;
};

}  // namespace

std::unique_ptr<Reporter> make_junit_reporter(std::ostream& out) {
  return std::make_unique<JunitReporter>(out);
}

}  // namespace grader
