#include <gtest/gtest.h>

#include "grader/grading.hpp"

namespace grader {
namespace {

class DiagnosisTest : public ::testing::Test {
 protected:
  DiagnosisTest() {
    task_.id = "gradient";
    for (double e : {0.25, -0.5, 0.125}) {
      GradedCase c;
      c.spec.task = 0;
      c.expected = e;
      cases_.push_back(c);
    }
  }

  std::optional<Diagnosis> diagnose(const std::vector<double>& answers) {
    std::vector<std::optional<Value>> a(answers.begin(), answers.end());
    std::vector<CaseStatus> statuses;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      statuses.push_back(compare(answers[i], cases_[i].expected.number(), task_.tolerance).passed
                             ? CaseStatus::Passed
                             : CaseStatus::WrongAnswer);
    }
    return diagnose_task(task_, 0, cases_, a, statuses, mistakes_);
  }

  MistakeModel mistake(const std::string& name, const std::string& task,
                       std::vector<double> answers) {
    MistakeModel m;
    m.name = name;
    m.tasks = {task};
    m.hint = name + " hint";
    m.answers.assign(answers.begin(), answers.end());
    return m;
  }

  TaskSpec task_;
  std::vector<GradedCase> cases_;
  std::vector<MistakeModel> mistakes_;
};

TEST_F(DiagnosisTest, UniqueMistakeIsNamed) {
  mistakes_.push_back(mistake("missing-factor-2", "gradient", {0.125, -0.25, 0.0625}));
  mistakes_.push_back(mistake("sign", "gradient", {-0.25, 0.5, -0.125}));
  mistakes_.push_back(mistake("other-task", "loss", {0.125, -0.25, 0.0625}));
  const auto d = diagnose({0.125, -0.25, 0.0625});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "mistake");
  EXPECT_EQ(d->mistake, "missing-factor-2");
  EXPECT_EQ(d->hint, "missing-factor-2 hint");
}

TEST_F(DiagnosisTest, AmbiguousMistakesFallBackToRatio) {
  mistakes_.push_back(mistake("a", "gradient", {0.125, -0.25, 0.0625}));
  mistakes_.push_back(mistake("b", "gradient", {0.125, -0.25, 0.0625}));
  const auto d = diagnose({0.125, -0.25, 0.0625});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "ratio");
  EXPECT_NE(d->hint.find("half"), std::string::npos);
}

TEST_F(DiagnosisTest, SignRatioOnEveryFailingCase) {
  const auto d = diagnose({-0.25, 0.5, -0.125});
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->hint.find("sign"), std::string::npos);
}

TEST_F(DiagnosisTest, OnlyFailingCasesCount) {
  // The middle case passes; the other two are doubled.
  const auto d = diagnose({0.5, -0.5, 0.25});
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->hint.find("twice"), std::string::npos);
}

TEST_F(DiagnosisTest, PrecisionHintForFloatLikeErrors) {
  const auto d = diagnose({0.25 * (1 + 3e-8), -0.5 * (1 - 5e-8), 0.125 * (1 + 1e-7)});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "precision");
}

TEST_F(DiagnosisTest, NoHintForUnrelatedAnswers) {
  EXPECT_FALSE(diagnose({0.3, -0.7, 0.9}).has_value());
}

TEST_F(DiagnosisTest, ZeroOnEveryCaseNamesTruncation) {
  // An int that truncates p - t: the gradient is 0 (or -0) whatever the inputs.
  const auto d = diagnose({0.0, -0.0, 0.0});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "constant");
  EXPECT_NE(d->hint.find("every failing answer of gradient is 0"), std::string::npos) << d->hint;
  EXPECT_NE(d->hint.find("integer division or truncation"), std::string::npos);
  EXPECT_NE(d->hint.find("never assigned"), std::string::npos);
}

TEST_F(DiagnosisTest, SameNonZeroAnswerEverywhereIsNamed) {
  const auto d = diagnose({0.75, 0.75, 0.75});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "constant");
  EXPECT_NE(d->hint.find("is 0.75, whatever the inputs"), std::string::npos) << d->hint;
}

TEST_F(DiagnosisTest, OneFailingCaseIsNoConstant) {
  // Only the last case fails: one answer says nothing about the inputs.
  const auto d = diagnose({0.25, -0.5, 0.0});
  EXPECT_TRUE(!d.has_value() || d->kind != "constant");
}

TEST_F(DiagnosisTest, ConstantNeedsVaryingExpectedValues) {
  // Every expected value is 0.5: answering 0.75 everywhere is wrong, not input-blind.
  for (GradedCase& c : cases_) c.expected = 0.5;
  const auto d = diagnose({0.75, 0.75, 0.75});
  EXPECT_TRUE(!d.has_value() || d->kind != "constant");
}

TEST_F(DiagnosisTest, WholeNumbersWhereExpectedHaveFractions) {
  const auto d = diagnose({1.0, -1.0, 3.0});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "whole_numbers");
  EXPECT_NE(d->hint.find("whole numbers"), std::string::npos) << d->hint;
}

TEST_F(DiagnosisTest, WholeNumbersNeedFractionalExpectedValues) {
  cases_[0].expected = 2.0;  // a whole expected value: whole answers are no pattern there
  const auto d = diagnose({1.0, -1.0, 3.0});
  EXPECT_TRUE(!d.has_value() || d->kind != "whole_numbers");
}

TEST_F(DiagnosisTest, KnownMistakeBeatsThePatterns) {
  mistakes_.push_back(mistake("truncated", "gradient", {0.0, 0.0, 0.0}));
  const auto d = diagnose({0.0, 0.0, 0.0});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "mistake");
}

TEST_F(DiagnosisTest, RightOnVisibleCasesOnlyIsNamed) {
  cases_[1].spec.visibility = Visibility::Hidden;
  cases_[2].spec.visibility = Visibility::Hidden;
  // Visible case right; the hidden ones unrelated (no numeric pattern).
  const auto d = diagnose({0.25, 0.3, 0.9});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "visible_only");
  EXPECT_NE(d->hint.find("passes every visible case but fails 2 hidden ones"), std::string::npos)
      << d->hint;
  // Nothing of a hidden case in the words: neither the student's answer nor the expected one.
  EXPECT_EQ(d->hint.find("0.3"), std::string::npos);
  EXPECT_EQ(d->hint.find("0.9"), std::string::npos);
  EXPECT_EQ(d->hint.find("-0.5"), std::string::npos);
}

TEST_F(DiagnosisTest, VisibleOnlyAlsoAfterACrashOnAHiddenCase) {
  cases_[2].spec.visibility = Visibility::Hidden;
  std::vector<std::optional<Value>> a = {Value(0.25), Value(-0.5), std::nullopt};
  const std::vector<CaseStatus> statuses = {CaseStatus::Passed, CaseStatus::Passed,
                                            CaseStatus::RuntimeError};
  const auto d = diagnose_task(task_, 0, cases_, a, statuses, mistakes_);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "visible_only");
  EXPECT_NE(d->hint.find("fails 1 hidden one:"), std::string::npos) << d->hint;
}

TEST_F(DiagnosisTest, NoVisibleOnlyWhenAVisibleCaseFails) {
  cases_[2].spec.visibility = Visibility::Hidden;
  EXPECT_FALSE(diagnose({0.3, -0.5, 0.9}).has_value());
}

}  // namespace
}  // namespace grader
