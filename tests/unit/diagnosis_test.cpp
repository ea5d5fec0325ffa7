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
    std::vector<std::optional<double>> a(answers.begin(), answers.end());
    std::vector<CaseStatus> statuses;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      statuses.push_back(compare(answers[i], cases_[i].expected, task_.tolerance).passed
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

}  // namespace
}  // namespace grader
