#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "grader/error.hpp"
#include "grader/formats.hpp"
#include "grader/report_formats.hpp"
#include "grader/summary.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

// A secret that only hidden cases hold: no format may ever print it.
constexpr const char* kSecret = "0.123456789";

CaseResult visible_case(const std::string& id, CaseStatus status, double expected,
                        std::optional<double> actual) {
  CaseResult c;
  c.id = id;
  c.status = status;
  c.inputs = {{"weight", 0.5}, {"input", 1.0}, {"bias", 0.0}};
  c.expected = expected;
  c.actual = actual;
  if (actual) c.abs_error = std::fabs(*actual - expected);
  c.rel_error = c.abs_error / std::fabs(expected);
  c.allowed = 1e-9 * std::fabs(expected);
  return c;
}

CaseResult hidden_case(const std::string& id, CaseStatus status) {
  CaseResult c;
  c.id = id;
  c.visibility = Visibility::Hidden;
  c.status = status;
  c.inputs = {{"weight", 0.123456789}};  // a grader bug would leak these: they must not show
  c.expected = 0.123456789;
  c.message = std::string("secret ") + kSecret;
  return c;
}

TaskResult task(const std::string& id, std::vector<CaseResult> cases, double points) {
  TaskResult t;
  t.id = id;
  t.title = id;
  t.max_score = points;
  t.cases = std::move(cases);
  t.score = points * static_cast<double>(t.passed()) / static_cast<double>(t.cases.size());
  return t;
}

SubmissionResult graded(const std::string& id, std::vector<TaskResult> tasks) {
  SubmissionResult s;
  s.id = id;
  s.path = "submissions/" + id;
  s.language = Language::Cpp;
  s.status = SubmissionStatus::Graded;
  for (const TaskResult& t : tasks) {
    s.score += t.score;
    s.max_score += t.max_score;
  }
  s.tasks = std::move(tasks);
  s.duration_ms = 1234;
  return s;
}

// Three students: full marks; a wrong forward (one visible and one hidden case failed) with a
// diagnosed mistake and hostile text; a compile error.
Report class_report() {
  Report report;
  report.exercise = "backprop";
  report.grader_version = "9.9.9";
  report.sandbox = "fake";
  report.submissions.push_back(graded(
      "alice",
      {task("forward",
            {visible_case("forward/visible-1", CaseStatus::Passed, 0.62, 0.62),
             hidden_case("forward/hidden-1", CaseStatus::Passed)},
            2.5),
       task("loss", {visible_case("loss/visible-1", CaseStatus::Passed, 0.25, 0.25)}, 2.5)}));
  TaskResult forward = task("forward",
                            {visible_case("forward/visible-1", CaseStatus::WrongAnswer, 0.62, 0.5),
                             visible_case("forward/visible-2", CaseStatus::Passed, 0.7, 0.7),
                             hidden_case("forward/hidden-1", CaseStatus::WrongAnswer),
                             hidden_case("forward/hidden-2", CaseStatus::Passed)},
                            2.5);
  forward.diagnosis = Diagnosis{"mistake", "forward-no-bias", "add the <bias> & try again"};
  TaskResult loss =
      task("loss", {visible_case("loss/visible-1", CaseStatus::Passed, 0.25, 0.25)}, 2.5);
  SubmissionResult bob = graded("bob, \"the <script>\"", {forward, loss});
  bob.stdout_text = std::string("debug \x01\x1b[31m red \xff\xfe end\n");
  report.submissions.push_back(bob);
  SubmissionResult carol;
  carol.id = "carol|x";
  carol.path = "submissions/carol";
  carol.language = Language::Python;
  carol.status = SubmissionStatus::CompileError;
  carol.max_score = 5;
  carol.compile_output = "main.cpp:3:5: error: expected ';' before '}' token\n";
  carol.compile_errors = {{"main.cpp", 3, 5, "expected ';' before '}' token"}};
  carol.message = "main.cpp:3:5: expected ';' before '}' token";
  report.submissions.push_back(carol);
  return report;
}

std::string render(const Report& report, std::unique_ptr<Reporter> (*make)(std::ostream&)) {
  std::ostringstream out;
  auto reporter = make(out);
  write_report(*reporter, report);
  return out.str();
}

// ---- summary ----

TEST(SummaryTest, CountsMeanMedianAndPassRates) {
  const ClassSummary s = summarize(class_report());
  EXPECT_EQ(s.total, 3u);
  EXPECT_EQ(s.by_status[static_cast<std::size_t>(SubmissionStatus::Graded)], 2u);
  EXPECT_EQ(s.by_status[static_cast<std::size_t>(SubmissionStatus::CompileError)], 1u);
  // Fractions 1, 0.75, 0: mean 0.5833..., median 0.75.
  EXPECT_DOUBLE_EQ(s.mean_fraction, (1.0 + 0.75 + 0.0) / 3.0);
  EXPECT_DOUBLE_EQ(s.median_fraction, 0.75);
  EXPECT_DOUBLE_EQ(s.median_score, 3.75);
  ASSERT_EQ(s.tasks.size(), 2u);
  EXPECT_EQ(s.tasks[0].id, "forward");
  EXPECT_EQ(s.tasks[0].passed, 1u);
  EXPECT_EQ(s.tasks[0].total, 3u);
  EXPECT_EQ(s.tasks[1].passed, 2u);
  ASSERT_EQ(s.mistakes.size(), 1u);
  EXPECT_EQ(s.mistakes[0].name, "forward-no-bias");
  ASSERT_EQ(s.ungraded.size(), 1u);
  EXPECT_EQ(s.ungraded[0].reason, "main.cpp:3: expected ';' before '}' token");
  EXPECT_EQ(s.histogram[0], 1u);
  EXPECT_EQ(s.histogram[7], 1u);
  EXPECT_EQ(s.histogram[9], 1u);
}

TEST(SummaryTest, MedianOfAnEvenCountIsTheMiddlePair) {
  Report report = class_report();
  report.submissions.pop_back();
  EXPECT_DOUBLE_EQ(summarize(report).median_fraction, 0.875);
}

TEST(SummaryTest, HistogramBinsAreTenthsWithTheLastClosed) {
  EXPECT_EQ(histogram_bin(0.0), 0u);
  EXPECT_EQ(histogram_bin(0.0999), 0u);
  EXPECT_EQ(histogram_bin(0.1), 1u);
  EXPECT_EQ(histogram_bin(0.95), 9u);
  EXPECT_EQ(histogram_bin(1.0), 9u);
  EXPECT_EQ(histogram_bin(1.5), 9u);
  EXPECT_EQ(histogram_bin(-1.0), 0u);
  EXPECT_EQ(histogram_bin(std::nan("")), 0u);
}

TEST(SummaryTest, PrintedSummaryListsUngradedWithTheirReason) {
  std::ostringstream out;
  print_class_summary(summarize(class_report()), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("3 submissions: 2 graded, 1 compile_error"), std::string::npos) << text;
  EXPECT_NE(text.find("median 3.75 / 5 (75.0%)"), std::string::npos) << text;
  EXPECT_NE(text.find("forward"), std::string::npos);
  EXPECT_NE(text.find("1  forward: forward-no-bias"), std::string::npos) << text;
  EXPECT_NE(text.find("not graded (1):"), std::string::npos);
  EXPECT_NE(text.find("carol|x"), std::string::npos);
  EXPECT_NE(text.find("main.cpp:3: expected ';'"), std::string::npos);
}

TEST(SummaryTest, ProgressLineShowsCountRateEtaAndFailures) {
  BatchProgress p;
  p.done = 10;
  p.total = 40;
  p.failures = 3;
  EXPECT_EQ(format_progress(p, 5.0), "[10/40]  25%  2.0/s  ETA 0:15  3 failed");
  p.done = 0;
  EXPECT_EQ(format_progress(p, 0.0), "[ 0/40]   0%  3 failed");
}

TEST(SummaryTest, ProgressLineRedrawsInPlaceAndClears) {
  std::ostringstream out;
  ProgressLine line(out, true);
  BatchProgress p;
  p.total = 2;
  p.done = 2;
  line.update(p);
  line.clear();
  EXPECT_EQ(out.str().front(), '\r');
  EXPECT_EQ(out.str().back(), '\r');
  std::ostringstream quiet;
  ProgressLine off(quiet, false);
  off.update(p);
  off.clear();
  EXPECT_EQ(quiet.str(), "");
}

// ---- CSV ----

TEST(CsvTest, QuotesFieldsAndEndsLinesWithCrlf) {
  const std::string csv = render(class_report(), make_csv_reporter);
  const std::string expected =
      "id,status,score,max_score,forward,loss,language,diagnoses\r\n"
      "alice,graded,5,5,2.5,2.5,cpp,\r\n"
      "\"bob, \"\"the <script>\"\"\",graded,3.75,5,1.25,2.5,cpp,forward-no-bias\r\n"
      "carol|x,compile_error,0,5,0,0,python,\r\n";
  EXPECT_EQ(csv, expected);
}

TEST(CsvTest, IdsThatSpreadsheetsWouldRunAreText) {
  Report report = class_report();
  report.submissions.resize(1);
  // Each id with its expected first field: a leading ', then RFC 4180 quoting as usual.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
      {"+1+2", "'+1+2"},
      {"-2+3", "'-2+3"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"a=b-c", "a=b-c"},  // only the first character matters
  };
  for (const auto& [id, field] : cases) {
    report.submissions[0].id = id;
    const std::string csv = render(report, make_csv_reporter);
    const std::string row = csv.substr(csv.find("\r\n") + 2);
    EXPECT_EQ(row.rfind(field + ",graded,", 0), 0u) << row;
  }
  for (const std::string id : {"\tx", "\rx"}) {
    report.submissions[0].id = id;
    const std::string csv = render(report, make_csv_reporter);
    const std::string row = csv.substr(csv.find("\r\n") + 2);
    EXPECT_TRUE(row.rfind("'", 0) == 0 || row.rfind("\"'", 0) == 0) << row;
  }
}

// ---- JUnit ----

TEST(JunitTest, FailureCarriesTheVisibleCaseAndNeverHiddenValues) {
  const std::string xml = render(class_report(), make_junit_reporter);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>", 0), 0u);
  EXPECT_NE(xml.find("<testsuite package=\"backprop\" id=\"1\" name=\"bob, &quot;the "
                     "&lt;script&gt;&quot;\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("tests=\"2\" failures=\"1\" errors=\"0\""), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"wrong_answer\" message=\"forward/visible-1: wrong_answer "
                     "(forward-no-bias)\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("call: forward(weight=0.5, input=1, bias=0)"), std::string::npos);
  EXPECT_NE(xml.find("expected: 0.62"), std::string::npos);
  EXPECT_NE(xml.find("actual: 0.5"), std::string::npos);
  EXPECT_NE(xml.find("1 of 2 hidden cases failed"), std::string::npos);
  EXPECT_NE(xml.find("hint: add the &lt;bias&gt; &amp; try again"), std::string::npos);
  EXPECT_EQ(xml.find(kSecret), std::string::npos);
}

TEST(JunitTest, CompileErrorIsAnErrorElement) {
  const std::string xml = render(class_report(), make_junit_reporter);
  EXPECT_NE(xml.find("<testcase name=\"build\" classname=\"backprop.carol|x\" time=\"0\">\n"
                     "      <error type=\"compile_error\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("tests=\"1\" failures=\"0\" errors=\"1\""), std::string::npos);
}

TEST(JunitTest, ControlCharactersAndInvalidUtf8AreReplaced) {
  const std::string xml = render(class_report(), make_junit_reporter);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  EXPECT_EQ(xml.find('\xff'), std::string::npos);
  EXPECT_NE(xml.find("<system-out>debug \xEF\xBF\xBD\xEF\xBF\xBD[31m red "
                     "\xEF\xBF\xBD\xEF\xBF\xBD end\n</system-out>"),
            std::string::npos)
      << xml;
}

// ---- Gradescope ----

nlohmann::json gradescope(const SubmissionResult& s) {
  Report report = class_report();
  report.submissions = {s};
  return nlohmann::json::parse(render(report, make_gradescope_reporter));
}

TEST(GradescopeTest, VisibleAndAfterDueDateTestsAddUpToTheScore) {
  const auto j = gradescope(class_report().submissions[1]);
  EXPECT_EQ(j["score"], 3.75);
  EXPECT_EQ(j["execution_time"], 1);
  EXPECT_EQ(j["visibility"], "visible");
  EXPECT_EQ(j["stdout_visibility"], "hidden");
  // forward visible + hidden, loss visible; last, the grading environment for the instructor
  ASSERT_EQ(j["tests"].size(), 4u);
  const auto& env = j["tests"][3];
  EXPECT_EQ(env["visibility"], "hidden");
  EXPECT_EQ(env["max_score"], 0.0);
  EXPECT_EQ(env["output"], "graded in: " + class_report().sandbox + "\n");
  EXPECT_EQ(j["extra_data"]["sandbox"], class_report().sandbox);
  const auto& v = j["tests"][0];
  EXPECT_EQ(v["name"], "forward (visible cases)");
  EXPECT_EQ(v["number"], "1.1");
  EXPECT_EQ(v["visibility"], "visible");
  EXPECT_EQ(v["status"], "failed");
  EXPECT_DOUBLE_EQ(v["score"].get<double>(), 0.625);
  EXPECT_DOUBLE_EQ(v["max_score"].get<double>(), 1.25);
  EXPECT_NE(v["output"].get<std::string>().find("expected: 0.62"), std::string::npos);
  EXPECT_NE(v["output"].get<std::string>().find("hint: add the <bias>"), std::string::npos);
  const auto& h = j["tests"][1];
  EXPECT_EQ(h["number"], "1.2");
  EXPECT_EQ(h["visibility"], "after_due_date");
  EXPECT_EQ(h["output"], "1 of 2 hidden cases passed\n");
  EXPECT_EQ(j["tests"][2]["status"], "passed");
  double sum = 0;
  double max = 0;
  for (const auto& t : j["tests"]) {
    sum += t["score"].get<double>();
    max += t["max_score"].get<double>();
  }
  EXPECT_DOUBLE_EQ(sum, 3.75);
  EXPECT_DOUBLE_EQ(max, 5.0);
  EXPECT_EQ(j.dump().find(kSecret), std::string::npos);
}

TEST(GradescopeTest, CompileErrorScoresZeroAndShowsTheCompiler) {
  const auto j = gradescope(class_report().submissions[2]);
  EXPECT_EQ(j["score"], 0.0);
  ASSERT_EQ(j["tests"].size(), 1u);  // the grading environment only
  EXPECT_EQ(j["tests"][0]["visibility"], "hidden");
  EXPECT_NE(j["output"].get<std::string>().find("expected ';' before"), std::string::npos);
  EXPECT_EQ(j["extra_data"]["status"], "compile_error");
}

// ---- Markdown and HTML ----

TEST(MarkdownTest, EscapesCellsAndListsEverySubmission) {
  const std::string md = render(class_report(), make_markdown_reporter);
  EXPECT_NE(md.find("| compile\\_error | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| carol\\|x | python | compile\\_error | 0 / 5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("bob, &quot;the &lt;script&gt;&quot;"), std::string::npos);
  EXPECT_NE(md.find("| forward | 1/3 | 33.3% |"), std::string::npos) << md;
}

TEST(HtmlTest, SelfContainedAndEscaped) {
  const std::string html = render(class_report(), make_html_reporter);
  EXPECT_EQ(html.find("<script>\""), std::string::npos);
  EXPECT_NE(html.find("bob, &quot;the &lt;script&gt;&quot;"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("data-bin=\"7\" data-count=\"1\""), std::string::npos);
  EXPECT_NE(html.find("data-status-count=\"compile_error\">1<"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#sub-2\">carol|x</a>"), std::string::npos);
  EXPECT_NE(html.find("id=\"sub-2\""), std::string::npos);
  EXPECT_EQ(html.find(kSecret), std::string::npos);
  EXPECT_EQ(html.find('\x01'), std::string::npos);
}

// ---- the registry ----

TEST(FormatsTest, WritesEveryFormatUnderTheReportDir) {
  testing::TempDir dir;
  Report report = class_report();
  report.submissions.push_back(report.submissions[0]);  // a duplicate id gets its own folder
  write_formats(report, known_formats(), dir.path());
  for (const char* file : {"report.json", "grades.csv", "junit.xml", "summary.md", "index.html",
                           "gradescope/alice/results.json", "gradescope/alice-2/results.json",
                           "gradescope/carol|x/results.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.path() / file)) << file;
  }
}

TEST(FormatsTest, UnknownFormatIsAUsageError) {
  testing::TempDir dir;
  try {
    write_formats(class_report(), {"csv", "pdf"}, dir.path());
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown report format \"pdf\" (known: json, gradescope, csv, junit, markdown, "
              "html)");
  }
}

}  // namespace
}  // namespace grader
