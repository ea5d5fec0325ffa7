#include "grader/github.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "support/temp_dir.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

SubmissionResult compile_error(const std::string& path) {
  SubmissionResult s;
  s.id = "cpp-broken";
  s.path = path;
  s.language = Language::Cpp;
  s.status = SubmissionStatus::CompileError;
  s.max_score = 10;
  s.compile_output = "main.cpp:5:5: error: expected ',' or ';' before 'return'\n    5 | return\n";
  s.compile_errors = {{"main.cpp", 5, 5, "expected ',' or ';' before 'return'"}};
  return s;
}

SubmissionResult partial() {
  SubmissionResult s;
  s.id = "py-half";
  s.path = "submissions/py-half";
  s.language = Language::Python;
  s.status = SubmissionStatus::Graded;
  s.score = 7.5;
  s.max_score = 10;
  TaskResult ok;
  ok.id = "forward";
  ok.score = ok.max_score = 7.5;
  CaseResult pass;
  pass.id = "forward/visible-1";
  pass.status = CaseStatus::Passed;
  ok.cases = {pass};
  TaskResult bad;
  bad.id = "gradient";
  bad.max_score = 2.5;
  CaseResult visible;
  visible.id = "gradient/visible-1";
  visible.status = CaseStatus::WrongAnswer;
  visible.inputs = {{"weight", 0.5}, {"input", 1.0}};
  visible.expected = -0.25;
  visible.actual = -0.125;
  CaseResult hidden;
  hidden.id = "gradient/hidden-1";
  hidden.visibility = Visibility::Hidden;
  hidden.status = CaseStatus::WrongAnswer;
  hidden.inputs = {{"weight", 0.987654321}};  // must never be written
  hidden.expected = 0.123456789;
  hidden.actual = 0.55555;
  bad.cases = {visible, hidden};
  bad.diagnosis = Diagnosis{"mistake", "missing-factor-2", "d/dp of (p-t)^2 is 2(p-t)"};
  s.tasks = {ok, bad};
  return s;
}

TEST(GithubTest, MessageEscapesPercentAndLineBreaks) {
  EXPECT_EQ(github_escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
}

TEST(GithubTest, PropertyEscapesColonAndCommaToo) {
  EXPECT_EQ(github_escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
}

TEST(GithubTest, CommandJoinsPropertiesAndSkipsEmptyOnes) {
  EXPECT_EQ(workflow_command("error", {{"file", "x.cpp"}, {"line", ""}, {"title", "t: 1,2"}},
                             "bad\nthing"),
            "::error file=x.cpp,title=t%3A 1%2C2::bad%0Athing");
  EXPECT_EQ(workflow_command("notice", {}, "plain"), "::notice::plain");
}

TEST(GithubTest, FileFormatsLeaveGithubOut) {
  EXPECT_TRUE(has_github_format({"json", "github"}));
  EXPECT_FALSE(has_github_format({"json"}));
  EXPECT_EQ(file_formats({"github", "json", "junit"}), (std::vector<std::string>{"json", "junit"}));
}

TEST(GithubTest, CompileErrorPointsAtFileLineAndColumn) {
  const auto lines = github_annotations(compile_error("submissions/cpp-broken"), "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "::error file=submissions/cpp-broken/main.cpp,line=5,col=5,title=cpp-broken%3A compile "
            "error::expected ',' or ';' before 'return'");
}

TEST(GithubTest, PathsAreRelativeToTheRepositoryRoot) {
  testing::TempDir repo;
  repo.write("course/subs/cpp-broken/main.cpp", "int x\n");
  const auto lines = github_annotations(
      compile_error((repo.path() / "course" / "subs" / "cpp-broken").string()), repo.path());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("::error file=course/subs/cpp-broken/main.cpp,line=5,col=5,", 0), 0u)
      << lines[0];
}

TEST(GithubTest, SingleFileSubmissionNamesTheFileOnce) {
  SubmissionResult s = compile_error("submissions/broken.cpp");
  s.compile_errors[0].file = "broken.cpp";
  const auto lines = github_annotations(s, "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("::error file=submissions/broken.cpp,line=5,", 0), 0u) << lines[0];
}

TEST(GithubTest, PythonSyntaxErrorIsTitledSo) {
  SubmissionResult s = compile_error("submissions/py-bad");
  s.language = Language::Python;
  s.compile_errors = {{"main.py", 8, 31, "invalid syntax"}};
  const auto lines = github_annotations(s, "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "::error file=submissions/py-bad/main.py,line=8,col=31,title=cpp-broken%3A syntax "
            "error::invalid syntax");
}

TEST(GithubTest, ErrorOutsideTheSubmissionHasNoFile) {
  SubmissionResult s = compile_error("submissions/cpp-broken");
  s.compile_errors = {{"/box/include/backprop.hpp", 3, 1, "conflicting declaration"}};
  const auto lines = github_annotations(s, "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "::error title=cpp-broken%3A compile error::/box/include/backprop.hpp:3:1: "
            "conflicting declaration");
}

TEST(GithubTest, FailingTaskGetsOneWarningWithItsHint) {
  const auto lines = github_annotations(partial(), "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "::warning title=py-half%3A task gradient failed::gradient: 0 of 2 cases passed, "
            "score 0.00 / 2.50. First failing visible case gradient/visible-1: wrong_answer, "
            "gradient(weight=0.5, input=1) expected -0.25, got -0.125. 1 hidden case failed."
            "%0AHint: d/dp of (p-t)^2 is 2(p-t)");
}

TEST(GithubTest, TaskWarningSitsOnTheFunctionsDefinition) {
  testing::TempDir repo;
  repo.write("subs/py-half/main.py",
             "import math\n\n# gradient(w, x) below\ndef gradient(weight, input):\n"
             "    return gradient_helper(weight)\n");
  SubmissionResult s = partial();
  s.path = (repo.path() / "subs" / "py-half").string();
  const auto lines = github_annotations(s, repo.path());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("::warning file=subs/py-half/main.py,line=4,title=", 0), 0u) << lines[0];
}

TEST(GithubTest, CppDefinitionIsNotACallOrAComment) {
  testing::TempDir repo;
  repo.write("s/a/main.cpp",
             "// gradient(w, x)\ndouble gradient(double w, double x);\n"
             "double g2() { return gradient(1, 2); }\n"
             "double gradient(double w,\n                double x) {\n  return w;\n}\n");
  SubmissionResult s = partial();
  s.language = Language::Cpp;
  s.path = (repo.path() / "s" / "a").string();
  const auto lines = github_annotations(s, repo.path());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("::warning file=s/a/main.cpp,line=4,title=", 0), 0u) << lines[0];
}

TEST(GithubTest, HiddenCasesNeverShowTheirValues) {
  Report report;
  report.exercise = "backprop";
  report.submissions = {partial()};
  std::string all = github_summary(report, "");
  for (const auto& line : github_annotations(partial(), "")) all += line;
  EXPECT_EQ(all.find("0.987654321"), std::string::npos);
  EXPECT_EQ(all.find("0.123456789"), std::string::npos);
  EXPECT_EQ(all.find("0.55555"), std::string::npos);
  EXPECT_EQ(all.find("hidden-1"), std::string::npos);
}

TEST(GithubTest, InjectedCommandStaysInsideTheMessage) {
  SubmissionResult s = compile_error("submissions/cpp-broken");
  s.compile_errors[0].message = "x\n::add-mask::secret\r\n";
  const auto lines = github_annotations(s, "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  EXPECT_NE(lines[0].find("x%0A::add-mask::secret%0D%0A"), std::string::npos) << lines[0];
}

TEST(GithubTest, SummaryHasATableRowPerSubmissionAndPerTaskScores) {
  Report report;
  report.exercise = "backprop";
  report.submissions = {partial(), compile_error("submissions/cpp-broken")};
  const std::string md = github_summary(report, "");
  EXPECT_NE(md.find("| Submission | Language | Status | Score | `forward` | `gradient` |"),
            std::string::npos)
      << md;
  EXPECT_NE(
      md.find("| `py-half` | python | ⚠️ graded | 7.50 / 10.00 | ✅ 7.50 / 7.50 (1/1) | ❌ "
              "0.00 / 2.50 (0/2) |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| `cpp-broken` | cpp | ❌ compile_error | 0.00 / 10.00 | - | - |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("first failing visible case `gradient/visible-1`: wrong_answer"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("1 hidden case failed"), std::string::npos) << md;
  EXPECT_NE(md.find("First error: `submissions/cpp-broken/main.cpp` line 5"), std::string::npos)
      << md;
}

TEST(GithubTest, SummaryEscapesPipesAndBackticks) {
  Report report;
  SubmissionResult s = compile_error("submissions/x");
  s.id = "a|b`c";
  report.submissions = {s};
  const std::string md = github_summary(report, "");
  EXPECT_NE(md.find("| ``a\\|b`c`` |"), std::string::npos) << md;
}

TEST(GithubTest, ReporterWritesAnnotationsAndAppendsTheSummary) {
  testing::TempDir dir;
  const fs::path summary = dir.write("summary.md", "earlier step\n");
  Report report;
  report.exercise = "backprop";
  report.submissions = {compile_error("submissions/cpp-broken")};
  std::ostringstream out;
  auto reporter = make_github_reporter(out, GithubOptions{"", summary});
  write_report(*reporter, report);
  EXPECT_EQ(out.str().rfind("::error file=submissions/cpp-broken/main.cpp,line=5,col=5,", 0), 0u);
  const std::string text = testing::read_file(summary);
  EXPECT_EQ(text.rfind("earlier step\n### Grading results: backprop\n", 0), 0u) << text;
}

TEST(GithubTest, QuietRegionEndsWithItsOwnToken) {
  std::ostringstream out;
  const std::string token = begin_github_quiet(out);
  EXPECT_GE(token.size(), 32u);
  EXPECT_EQ(out.str(), "::stop-commands::" + token + "\n");
  std::ostringstream again;
  EXPECT_NE(begin_github_quiet(again), token);
}

}  // namespace
}  // namespace grader
