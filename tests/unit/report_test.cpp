#include "grader/report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "grader/error.hpp"

namespace grader {
namespace {

Report sample_report() {
  Report report;
  report.exercise = "backprop";
  report.grader_version = "9.9.9";
  report.sandbox = "fake";
  SubmissionResult s;
  s.id = "student-042";
  s.path = "submissions/student-042";
  s.language = Language::Cpp;
  s.status = SubmissionStatus::Graded;
  s.score = 7.5;
  s.max_score = 10;
  TaskResult t;
  t.id = "forward";
  t.title = "Forward pass";
  t.score = 1.25;
  t.max_score = 2.5;
  CaseResult visible;
  visible.id = "forward/visible-1";
  visible.status = CaseStatus::NotANumber;
  visible.inputs = {{"weight", 0.5}, {"input", 1.0}, {"bias", 0.0}};
  visible.expected = 0.6224593312018546;
  visible.actual = std::numeric_limits<double>::quiet_NaN();
  visible.abs_error = std::numeric_limits<double>::infinity();
  visible.rel_error = std::numeric_limits<double>::infinity();
  visible.message = "returned nan";
  CaseResult hidden;
  hidden.id = "forward/hidden-1";
  hidden.visibility = Visibility::Hidden;
  hidden.status = CaseStatus::Passed;
  hidden.inputs = {{"weight", 0.123456789}};  // must never be written
  hidden.expected = 0.987654321;
  hidden.message = "secret 0.123456789";
  t.cases = {visible, hidden};
  t.diagnosis = Diagnosis{"mistake", "forward-no-bias", "hint text"};
  s.tasks = {t};
  report.submissions = {s};
  return report;
}

std::string to_json(const Report& report) {
  std::ostringstream out;
  auto reporter = make_json_reporter(out);
  write_report(*reporter, report);
  return out.str();
}

TEST(ReportTest, JsonHasFixedFieldsAndSpellsNonFinite) {
  const auto j = nlohmann::json::parse(to_json(sample_report()));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["exercise"], "backprop");
  const auto& s = j["submissions"][0];
  EXPECT_EQ(s["id"], "student-042");
  EXPECT_EQ(s["language"], "cpp");
  EXPECT_EQ(s["status"], "graded");
  EXPECT_EQ(s["score"], 7.5);
  const auto& c = s["tasks"][0]["cases"][0];
  EXPECT_EQ(c["status"], "not_a_number");
  EXPECT_EQ(c["actual"], "nan");
  EXPECT_EQ(c["abs_error"], "inf");
  EXPECT_EQ(c["expected"].get<double>(), 0.6224593312018546);  // round-trips exactly
  EXPECT_EQ(s["tasks"][0]["diagnosis"]["mistake"], "forward-no-bias");
}

TEST(ReportTest, HiddenCaseShowsOnlyItsStatus) {
  const std::string text = to_json(sample_report());
  const auto j = nlohmann::json::parse(text);
  const auto& hidden = j["submissions"][0]["tasks"][0]["cases"][1];
  EXPECT_EQ(hidden.size(), 3u);
  EXPECT_EQ(hidden["status"], "passed");
  EXPECT_EQ(text.find("0.123456789"), std::string::npos);
  EXPECT_EQ(text.find("0.987654321"), std::string::npos);
}

TEST(ReportTest, RoundTripsThroughTheReader) {
  const Report original = sample_report();
  const Report back = parse_json_report(to_json(original), "test");
  ASSERT_EQ(back.submissions.size(), 1u);
  const CaseResult& c = back.submissions[0].tasks[0].cases[0];
  EXPECT_TRUE(std::isnan(c.actual->number()));
  EXPECT_EQ(c.expected, 0.6224593312018546);
  EXPECT_EQ(to_json(back), to_json(original) /* hidden details were never written */);
}

TEST(ReportTest, ReaderRejectsOtherFiles) {
  EXPECT_THROW(parse_json_report("{\"schema_version\": 2}", "x.json"), ReportError);
  EXPECT_THROW(parse_json_report("not json", "x.json"), ReportError);
}

TEST(ReportTest, FormatNumberIsShortestRoundTrip) {
  EXPECT_EQ(format_number(0.47), "0.47");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_number(-0.0), "-0");
  EXPECT_EQ(format_number(std::nan("")), "nan");
  EXPECT_EQ(format_number(-HUGE_VAL), "-inf");
  for (double x : {0.1, 1.0 / 3, 2.0609e-9, 5e-324, 1.7976931348623157e308}) {
    EXPECT_EQ(std::strtod(format_number(x).c_str(), nullptr), x);
  }
}

TEST(ReportTest, TextDetailsShowFirstFailingVisibleCase) {
  Report report = sample_report();
  std::ostringstream out;
  TextOptions options;
  options.details = true;
  auto reporter = make_text_reporter(out, options);
  write_report(*reporter, report);
  const std::string text = out.str();
  EXPECT_NE(text.find("student-042 (cpp)"), std::string::npos) << text;
  EXPECT_NE(text.find("call:            forward(weight=0.5, input=1, bias=0)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("expected:        0.62245933120185459"), std::string::npos) << text;
  EXPECT_NE(text.find("hint:            hint text"), std::string::npos) << text;
  EXPECT_EQ(text.find("0.123456789"), std::string::npos);
  EXPECT_EQ(text.find("\x1b["), std::string::npos);  // no colour unless asked
  for (std::size_t start = 0, end; start < text.size(); start = end + 1) {
    end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
  }
}

}  // namespace
}  // namespace grader
