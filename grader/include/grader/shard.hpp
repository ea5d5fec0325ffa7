#pragma once
/// \file
/// Spreading one batch over machines: `grader batch DIR --shard K/N` grades a deterministic
/// part of DIR and writes a partial report; `grader merge PARTS... --report FILE` joins the parts
/// into the report an unsharded batch would have written (docs/scaling.md).

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "grader/report.hpp"

namespace grader {

/// Part K of N of a batch, 1-based.
struct ShardSpec {
  int index = 1;  ///< K, 1 .. count
  int count = 1;  ///< N
};

/// Looks up an environment variable; null when unset (std::getenv in production).
using EnvLookup = std::function<const char*(const char*)>;

/// Parses the value of `--shard`: `K/N` with 1 <= K <= N, or `auto/N`, which takes K from the
/// environment of an array job:
///   - `JOB_COMPLETION_INDEX` (Kubernetes Indexed Job, 0-based): K = value + 1;
///   - else `SLURM_ARRAY_TASK_ID`: K = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1, where
///     SLURM_ARRAY_TASK_MIN counts as 0 when unset (so `--array=0-2` and `--array=1-3` both
///     give K = 1..3).
/// \throws UsageError naming the value (and the variable) when it is malformed or out of range.
ShardSpec parse_shard(const std::string& text, const EnvLookup& env);

/// The shard (1 .. count) a submission id belongs to: the first 8 bytes of SHA-256(id), read
/// big-endian, modulo count, plus 1. Stable across machines, runs and grader versions of this
/// layout, and independent of the other submissions.
int shard_of(const std::string& submission_id, int count);

/// The entries of `paths` (a batch listing) whose submission id falls in `shard`, in order.
std::vector<std::filesystem::path> select_shard(const std::vector<std::filesystem::path>& paths,
                                                const ShardSpec& shard);

/// Joins partial reports (each paired with the file it came from, for messages) into one
/// report: submissions ordered by the file name of their path (the order of an unsharded
/// batch), no `shard` field, `unsafe` when any part was.
/// \throws UsageError when a part has no `shard` field, parts disagree on the exercise, the
///         exercise hash or the shard count, a shard is given twice or missing, a submission id
///         is in two parts, or a part's submissions are not the ones its shard lists.
Report merge_shard_reports(const std::vector<std::pair<std::string, Report>>& parts);

/// Reads the report files and merges them (merge_shard_reports).
/// \throws UsageError as merge_shard_reports, and when a file is unreadable or not a report.
Report merge_shard_files(const std::vector<std::filesystem::path>& files);

}  // namespace grader
