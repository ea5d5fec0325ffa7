#include "grader/policy.hpp"

#include <gtest/gtest.h>

#include "grader/error.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

constexpr std::int64_t kDay = 86400;

TEST(PolicyTest, ParsesTimesWithTheirZone) {
  EXPECT_EQ(parse_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_time("1970-01-01T00:00-00:30"), 1800);
  EXPECT_EQ(parse_time("2026-12-01T23:59:00+01:00"), *parse_time("2026-12-01T22:59:00Z"));
  EXPECT_FALSE(parse_time("2026-12-01T23:59:00"));
  EXPECT_FALSE(parse_time("tomorrow"));
  EXPECT_FALSE(parse_time("2026-13-01T00:00Z"));
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00Z");
}

TEST(PolicyTest, LateDaysCountAfterTheGracePeriod) {
  ExerciseRules rules;
  rules.due = 1000;
  rules.grace_seconds = 600;
  rules.penalty_per_day = 0.25;
  EXPECT_EQ(lateness(rules, std::nullopt, 1600)->days_late, 0);
  EXPECT_EQ(lateness(rules, std::nullopt, 1601)->days_late, 1);
  EXPECT_DOUBLE_EQ(lateness(rules, std::nullopt, 1601)->penalty, 0.25);
  EXPECT_EQ(lateness(rules, std::nullopt, 1600 + 2 * kDay + 1)->days_late, 3);
  EXPECT_DOUBLE_EQ(lateness(rules, std::nullopt, 1600 + 9 * kDay)->penalty, 1.0);
  EXPECT_FALSE(lateness(ExerciseRules{}, std::nullopt, 5));
}

TEST(PolicyTest, AnExtensionMovesTheDueTimeAndTheCutoff) {
  ExerciseRules rules;
  rules.due = 1000;
  rules.cutoff = 2000;
  rules.penalty_per_day = 0.1;
  EXPECT_EQ(lateness(rules, 5000, 4000)->days_late, 0);
  EXPECT_TRUE(past_cutoff(rules, std::nullopt, 2001));
  EXPECT_FALSE(past_cutoff(rules, 5000, 4000));
}

TEST(PolicyTest, LoadsRulesFromTheCourseFile) {
  testing::TempDir dir;
  const auto file = dir.write("course.json", R"({"default_exercise": "backprop", "rules": {
      "backprop": {"due": "2026-12-01T23:59:00+01:00", "grace_minutes": 15,
                   "penalty_per_day": 0.1, "hidden_feedback_per_day": 3}}})");
  const CourseRules rules = load_course_rules(file);
  ASSERT_EQ(rules.count("backprop"), 1u);
  EXPECT_EQ(rules.at("backprop").due, parse_time("2026-12-01T22:59:00Z"));
  EXPECT_EQ(rules.at("backprop").grace_seconds, 900);
  EXPECT_EQ(rules.at("backprop").hidden_feedback_per_day, 3);
  EXPECT_TRUE(load_course_rules(dir.path() / "missing.json").empty());
}

TEST(PolicyTest, AMalformedRuleNamesItsField) {
  testing::TempDir dir;
  const auto file = dir.write("course.json", R"({"rules": {"backprop": {"due": "soon"}}})");
  try {
    load_course_rules(file);
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() +
                                         ": /rules/backprop/due: expected a time like "
                                         "\"2026-12-01T23:59:00+01:00\", got \"soon\"");
  }
}

TEST(PolicyTest, NextUtcDay) {
  EXPECT_EQ(next_utc_day(0), kDay);
  EXPECT_EQ(next_utc_day(kDay - 1), kDay);
  EXPECT_EQ(next_utc_day(kDay), 2 * kDay);
}

}  // namespace
}  // namespace grader
