#include "grader/shard.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "grader/error.hpp"

namespace grader {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

std::string usage_error_of(const std::string& text, const EnvLookup& env) {
  try {
    parse_shard(text, env);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ShardTest, ParsesKOverN) {
  const ShardSpec shard = parse_shard("2/3", env_of({}));
  EXPECT_EQ(shard.index, 2);
  EXPECT_EQ(shard.count, 3);
}

TEST(ShardTest, RejectsMalformedOrOutOfRangeValues) {
  for (const char* bad : {"0/3", "4/3", "x/3", "3", "1/0", "-1/3", "1/", "/3", "1/3/4"}) {
    EXPECT_NE(usage_error_of(bad, env_of({})).find("--shard \""), std::string::npos) << bad;
  }
  EXPECT_EQ(usage_error_of("4/3", env_of({})),
            "--shard \"4/3\": K must be in 1..3 (expected K/N with 1 <= K <= N, or auto/N)");
}

TEST(ShardTest, AutoTakesTheZeroBasedKubernetesIndex) {
  EXPECT_EQ(parse_shard("auto/3", env_of({{"JOB_COMPLETION_INDEX", "0"}})).index, 1);
  EXPECT_EQ(parse_shard("auto/3", env_of({{"JOB_COMPLETION_INDEX", "2"}})).index, 3);
  EXPECT_NE(usage_error_of("auto/3", env_of({{"JOB_COMPLETION_INDEX", "3"}})).find("outside 1..3"),
            std::string::npos);
}

TEST(ShardTest, AutoTakesTheSlurmTaskRelativeToItsMinimum) {
  EXPECT_EQ(parse_shard("auto/3", env_of({{"SLURM_ARRAY_TASK_ID", "0"}})).index, 1);
  EXPECT_EQ(
      parse_shard("auto/3", env_of({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"}}))
          .index,
      3);
}

TEST(ShardTest, AutoPrefersKubernetesOverSlurm) {
  EXPECT_EQ(
      parse_shard("auto/2", env_of({{"JOB_COMPLETION_INDEX", "1"}, {"SLURM_ARRAY_TASK_ID", "0"}}))
          .index,
      2);
}

TEST(ShardTest, AutoWithoutAnArrayJobIsAUsageError) {
  EXPECT_NE(usage_error_of("auto/2", env_of({})).find("JOB_COMPLETION_INDEX"), std::string::npos);
  EXPECT_NE(usage_error_of("auto/2", env_of({{"JOB_COMPLETION_INDEX", "one"}}))
                .find("JOB_COMPLETION_INDEX=\"one\""),
            std::string::npos);
}

TEST(ShardTest, ShardOfIsStableAndCoversEveryShard) {
  std::set<int> seen;
  for (int i = 0; i < 60; ++i) {
    const std::string id = "student-" + std::to_string(i);
    const int shard = shard_of(id, 3);
    EXPECT_GE(shard, 1);
    EXPECT_LE(shard, 3);
    EXPECT_EQ(shard, shard_of(id, 3));
    seen.insert(shard);
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(shard_of("anything", 1), 1);
}

// A partial report of shard `index`/`count` holding every id of `ids` that belongs to it.
std::pair<std::string, Report> part(int index, int count, const std::vector<std::string>& ids,
                                    const std::string& exercise = "backprop") {
  Report report;
  report.exercise = exercise;
  ShardInfo info{index, count, std::string(64, 'a'), {}};
  for (const std::string& id : ids) {
    if (shard_of(id, count) != index) continue;
    SubmissionResult s;
    s.id = id;
    s.path = "class/" + id;
    s.status = SubmissionStatus::Graded;
    report.submissions.push_back(s);
    info.submissions.push_back(id);
  }
  report.shard = info;
  return {"part-" + std::to_string(index) + ".json", report};
}

const std::vector<std::string> kIds = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};

std::string merge_error(const std::vector<std::pair<std::string, Report>>& parts) {
  try {
    merge_shard_reports(parts);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ShardTest, MergeJoinsPartsInBatchOrder) {
  const Report merged = merge_shard_reports({part(3, 3, kIds), part(1, 3, kIds), part(2, 3, kIds)});
  std::vector<std::string> ids;
  for (const auto& s : merged.submissions) ids.push_back(s.id);
  EXPECT_EQ(ids, kIds);
  EXPECT_FALSE(merged.shard);
}

TEST(ShardTest, MergeRejectsAMissingShard) {
  EXPECT_EQ(merge_error({part(1, 3, kIds), part(3, 3, kIds)}), "merge: shard 2 of 3 missing");
}

TEST(ShardTest, MergeRejectsAShardGivenTwice) {
  EXPECT_NE(merge_error({part(1, 2, kIds), part(1, 2, kIds), part(2, 2, kIds)})
                .find("shard 1/2 is also given as part-1.json"),
            std::string::npos);
}

TEST(ShardTest, MergeRejectsMixedShardCounts) {
  EXPECT_NE(merge_error({part(1, 2, kIds), part(2, 3, kIds)}).find("/shard/count: 3"),
            std::string::npos);
}

TEST(ShardTest, MergeRejectsMixedExercises) {
  EXPECT_NE(merge_error({part(1, 2, kIds), part(2, 2, kIds, "other")}).find("/exercise: \"other\""),
            std::string::npos);
}

TEST(ShardTest, MergeRejectsMixedExerciseHashes) {
  auto second = part(2, 2, kIds);
  second.second.shard->exercise_hash = std::string(64, 'b');
  EXPECT_NE(merge_error({part(1, 2, kIds), second}).find("/shard/exercise_hash"),
            std::string::npos);
}

TEST(ShardTest, MergeRejectsAReportWithoutShard) {
  auto plain = part(2, 2, kIds);
  plain.second.shard.reset();
  EXPECT_NE(merge_error({part(1, 2, kIds), plain}).find("/shard: missing"), std::string::npos);
}

TEST(ShardTest, MergeRejectsOverlappingParts) {
  auto first = part(1, 2, kIds);
  auto second = part(2, 2, kIds);
  // Claim one of the first part's submissions in the second as well.
  SubmissionResult stolen = first.second.submissions.front();
  second.second.submissions.push_back(stolen);
  second.second.shard->submissions.push_back(stolen.id);
  const std::string error = merge_error({first, second});
  EXPECT_NE(error.find("belongs to shard 1/2"), std::string::npos) << error;
}

TEST(ShardTest, MergeRejectsAnIncompletePart) {
  auto first = part(1, 2, kIds);
  first.second.submissions.pop_back();
  EXPECT_NE(merge_error({first, part(2, 2, kIds)}).find("incomplete"), std::string::npos);
}

}  // namespace
}  // namespace grader
