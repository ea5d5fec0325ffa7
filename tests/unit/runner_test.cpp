#include "grader/runner.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "support/fake_sandbox.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

using testing::FakeSandbox;
using testing::TempDir;

// The cases of one launch, as the harness would read them: "INDEX FUNCTION VIS N ARGS...".
std::vector<std::vector<std::string>> launch_cases(const RunRequest& request) {
  std::istringstream in(testing::read_file(request.box_dir / ".grader" / "cases.txt"));
  std::vector<std::vector<std::string>> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> parts;
    std::string part;
    while (fields >> part) parts.push_back(part);
    lines.push_back(parts);
  }
  return lines;
}

// A harness that answers first-arg * 2 for every case, dying as `die_on` says.
FakeSandbox::Script harness(std::function<bool(const std::vector<std::string>&)> die_on,
                            RunOutcome death) {
  return [=](const RunRequest& request) {
    RunOutcome death_copy = death;
    RunOutcome outcome;
    outcome.channel_text = "ready\n";
    for (const auto& c : launch_cases(request)) {
      outcome.channel_text += "start " + c[0] + "\n";
      if (die_on && die_on(c)) {
        death_copy.channel_text = outcome.channel_text;
        return death_copy;
      }
      const double x = std::strtod(c[4].c_str(), nullptr);
      outcome.channel_text += "value " + c[0] + " " + std::to_string(x * 2) + "\n";
    }
    outcome.channel_text += "done\n";
    return outcome;
  };
}

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest() {
    program_.argv = {"./prog"};
    program_.files_dir = dir_.path() / "program";
    // Task 0: f with 3 visible cases; task 1: g with 2 visible and 1 hidden.
    for (double x : {1.0, 2.0, 3.0}) cases_.push_back({0, "f", Visibility::Visible, {x}});
    cases_.push_back({1, "g", Visibility::Hidden, {40.0}});
    for (double x : {10.0, 20.0}) cases_.push_back({1, "g", Visibility::Visible, {x}});
  }

  RunnerResult run() {
    return run_cases(program_, cases_, sandbox_, SandboxLimits{}, dir_.path(), 0);
  }

  TempDir dir_;
  Program program_;
  std::vector<HarnessCase> cases_;
  FakeSandbox sandbox_;
};

TEST_F(RunnerTest, AllAnsweredInOneLaunchVisibleFirst) {
  sandbox_.push(harness({}, {}));
  const RunnerResult r = run();
  EXPECT_EQ(r.launches, 1);
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    ASSERT_EQ(r.runs[i].kind, CaseRun::Kind::Value) << i;
    EXPECT_DOUBLE_EQ(r.runs[i].value.number(), cases_[i].args[0].number() * 2);
  }
  // The hidden case (index 3) is written last, with visibility 'h'.
  const auto lines = launch_cases(sandbox_.requests.at(0));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines.back()[2], "h");
  EXPECT_EQ(lines.back()[4], "0x1.4p+5");  // 40 as a hex float: exact
  EXPECT_EQ(sandbox_.requests[0].argv.back(), ".grader/cases.txt");
  EXPECT_TRUE(sandbox_.requests[0].channel);
}

TEST_F(RunnerTest, BuildErrorFromTheLaunchEndsItWithNoCaseRun) {
  // What the Python launcher writes when its syntax check fails, escaped as the protocol says.
  sandbox_.push([](const RunRequest&) {
    RunOutcome outcome;
    outcome.channel_text =
        "build_error main.py:2:5: error: SyntaxError: invalid syntax\\n    x = = 1\\n"
        "        ^\n";
    return outcome;
  });
  const RunnerResult r = run();
  EXPECT_EQ(r.launches, 1);  // not restarted case after case
  EXPECT_EQ(r.build_error,
            "main.py:2:5: error: SyntaxError: invalid syntax\n    x = = 1\n        ^");
  for (const CaseRun& c : r.runs) EXPECT_EQ(c.kind, CaseRun::Kind::NotRun);
}

TEST_F(RunnerTest, CrashCostsOnlyItsCaseAndResumes) {
  RunOutcome segv;
  segv.termination = Termination::Signaled;
  segv.signal = 11;
  segv.signal_name = "SIGSEGV";
  // Dies on f(2) the first time only.
  sandbox_.push(harness([](const auto& c) { return c[1] == "f" && c[4] == "0x1p+1"; }, segv));
  sandbox_.push(harness({}, {}));
  const RunnerResult r = run();
  EXPECT_EQ(r.launches, 2);
  EXPECT_EQ(r.runs[0].kind, CaseRun::Kind::Value);
  EXPECT_EQ(r.runs[1].kind, CaseRun::Kind::Died);
  EXPECT_EQ(r.runs[1].died_status, CaseStatus::RuntimeError);
  EXPECT_EQ(r.runs[1].message, "was killed by SIGSEGV (exit status 139)");
  EXPECT_EQ(r.runs[2].kind, CaseRun::Kind::Value);
  EXPECT_EQ(r.runs[5].kind, CaseRun::Kind::Value);
  // The second launch starts right after the crash.
  EXPECT_EQ(launch_cases(sandbox_.requests.at(1)).front()[4], "0x1.8p+1");
}

TEST_F(RunnerTest, TimeoutSkipsTheRestOfItsTaskOnly) {
  RunOutcome timeout;
  timeout.termination = Termination::Timeout;
  timeout.timeout_kind = "cpu";
  sandbox_.push(harness([](const auto& c) { return c[1] == "f"; }, timeout));
  sandbox_.push(harness({}, {}));
  const RunnerResult r = run();
  EXPECT_EQ(r.runs[0].kind, CaseRun::Kind::Died);
  EXPECT_EQ(r.runs[0].died_status, CaseStatus::Timeout);
  EXPECT_EQ(r.runs[1].kind, CaseRun::Kind::NotRun);
  EXPECT_EQ(r.runs[2].kind, CaseRun::Kind::NotRun);
  EXPECT_EQ(r.runs[3].kind, CaseRun::Kind::Value);
  EXPECT_EQ(r.runs[4].kind, CaseRun::Kind::Value);
  EXPECT_EQ(r.launches, 2);
}

TEST_F(RunnerTest, MemoryKillSkipsTheRestOfItsTaskToo) {
  RunOutcome oom;
  oom.termination = Termination::MemoryLimit;
  oom.oom_killed = true;
  sandbox_.push(harness([](const auto& c) { return c[1] == "g"; }, oom));
  sandbox_.push(harness({}, {}));
  const RunnerResult r = run();
  EXPECT_EQ(r.runs[4].kind, CaseRun::Kind::Died);
  EXPECT_EQ(r.runs[4].died_status, CaseStatus::MemoryLimit);
  EXPECT_EQ(r.runs[5].kind, CaseRun::Kind::NotRun);
  EXPECT_EQ(r.runs[3].kind, CaseRun::Kind::NotRun);  // hidden case of g, after it in launch order
  EXPECT_EQ(r.runs[0].kind, CaseRun::Kind::Value);
  EXPECT_EQ(r.launches, 1);
}

TEST_F(RunnerTest, EveryCallCrashingStillEnds) {
  RunOutcome abort_outcome;
  abort_outcome.termination = Termination::Signaled;
  abort_outcome.signal = 6;
  abort_outcome.signal_name = "SIGABRT";
  for (int i = 0; i < 10; ++i)
    sandbox_.push(harness([](const auto&) { return true; }, abort_outcome));
  const RunnerResult r = run();
  EXPECT_EQ(r.launches, 6);
  for (const CaseRun& run : r.runs) EXPECT_EQ(run.kind, CaseRun::Kind::Died);
}

TEST_F(RunnerTest, FailureBeforeAnyCaseFailsThemAll) {
  RunOutcome exit3;
  exit3.exit_code = 3;
  sandbox_.push(exit3);
  const RunnerResult r = run();
  EXPECT_EQ(r.launches, 1);
  for (const CaseRun& run : r.runs) {
    EXPECT_EQ(run.kind, CaseRun::Kind::Died);
    EXPECT_EQ(run.message, "the program exited with code 3 before running any case");
  }
}

TEST_F(RunnerTest, LoadErrorIsReported) {
  RunOutcome outcome;
  outcome.channel_text = "load_error Traceback\\n  ZeroDivisionError: division by zero\n";
  sandbox_.push(outcome);
  const RunnerResult r = run();
  EXPECT_EQ(r.load_error, "Traceback\n  ZeroDivisionError: division by zero");
  EXPECT_EQ(r.launches, 1);
}

TEST_F(RunnerTest, ProtocolVerbsAndTornLines) {
  RunOutcome outcome;
  outcome.channel_text =
      "ready\nstart 0\nmissing 0\nstart 1\nexception 1 ValueError: bad\\tthing\nstart 2\n"
      "bad_type 2 str\nstart 3\nvalue 3 nan\nstart 4\nvalue 4 -inf\nstart 5\nvalue 5 0x1p-1 "
      "float32\n"
      "garbage line\nvalue 99 1.0\ndone\nvalue 0 1.5";  // unknown verb, out of range, torn
  sandbox_.push(outcome);
  const RunnerResult r = run();
  EXPECT_EQ(r.runs[0].kind, CaseRun::Kind::Missing);
  EXPECT_EQ(r.runs[1].kind, CaseRun::Kind::Exception);
  EXPECT_EQ(r.runs[1].message, "ValueError: bad\tthing");
  EXPECT_EQ(r.runs[2].kind, CaseRun::Kind::BadType);
  // Channel order is launch order: visible cases 0,1,2,4,5 then hidden 3.
  EXPECT_TRUE(std::isnan(r.runs[4].value.number()));
  EXPECT_TRUE(std::isinf(r.runs[5].value.number()));
  EXPECT_EQ(r.runs[3].note, "float32");
  EXPECT_DOUBLE_EQ(r.runs[3].value.number(), 0.5);
}

TEST_F(RunnerTest, AValueTheGraderCannotReadIsABadType) {
  // A whole, well-formed line whose value is not one (or too large) is the case's own failure,
  // not a case that never ran.
  RunOutcome outcome;
  outcome.channel_text =
      "ready\nstart 0\nvalue 0 [1,2\nstart 1\nvalue 1 0x1p+0\nstart 2\nvalue 2 abc\nstart 3\n"
      "value 3 0x1p+1\nstart 4\nvalue 4 0x1p+2\nstart 5\nvalue 5 0x1p+3\ndone\n";
  sandbox_.push(outcome);
  const RunnerResult r = run();
  EXPECT_EQ(r.launches, 1);
  EXPECT_EQ(r.runs[0].kind, CaseRun::Kind::BadType);
  EXPECT_NE(r.runs[0].message.find("cannot read"), std::string::npos) << r.runs[0].message;
  EXPECT_EQ(r.runs[1].kind, CaseRun::Kind::Value);
}

TEST(RunnerEscapeTest, Unescapes) {
  EXPECT_EQ(unescape_message("a\\\\b\\nc\\rd\\te"), "a\\b\nc\rd\te");
  EXPECT_EQ(unescape_message("trailing\\"), "trailing\\");
}

}  // namespace
}  // namespace grader
