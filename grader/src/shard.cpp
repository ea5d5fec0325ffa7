// Sharded batches: which submissions a shard grades, and the merge of the partial reports.

#include "grader/shard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/hash.hpp"
#include "grader/submission.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// A whole non-negative decimal number, or nullopt (no sign, no spaces, no overflow).
std::optional<long> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::strtol(text.c_str(), nullptr, 10);
}

long env_number(const EnvLookup& env, const char* name) {
  const char* value = env(name);
  const std::optional<long> number = parse_count(value == nullptr ? "" : value);
  if (!number) {
    throw UsageError(fmt::format("--shard auto: {}=\"{}\" is not a non-negative whole number", name,
                                 value == nullptr ? "" : value));
  }
  return *number;
}

}  // namespace

ShardSpec parse_shard(const std::string& text, const EnvLookup& env) {
  const std::size_t slash = text.find('/');
  const auto bad = [&](const std::string& why) {
    return UsageError(
        fmt::format("--shard \"{}\": {} (expected K/N with 1 <= K <= N, or auto/N)", text, why));
  };
  if (slash == std::string::npos) throw bad("no '/'");
  const std::string first = text.substr(0, slash);
  const std::optional<long> count = parse_count(text.substr(slash + 1));
  if (!count || *count < 1) throw bad("N must be a whole number >= 1");
  long index = 0;
  if (first == "auto") {
    const char* indexed_job = env("JOB_COMPLETION_INDEX");
    if (indexed_job != nullptr && *indexed_job != '\0') {
      index = env_number(env, "JOB_COMPLETION_INDEX") + 1;
    } else if (const char* slurm = env("SLURM_ARRAY_TASK_ID"); slurm != nullptr && *slurm != '\0') {
      const char* min = env("SLURM_ARRAY_TASK_MIN");
      const long base =
          min != nullptr && *min != '\0' ? env_number(env, "SLURM_ARRAY_TASK_MIN") : 0;
      index = env_number(env, "SLURM_ARRAY_TASK_ID") - base + 1;
    } else {
      throw bad("auto needs JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm)");
    }
    if (index < 1 || index > *count) {
      throw bad(fmt::format("the environment gives shard {}, outside 1..{}", index, *count));
    }
  } else {
    const std::optional<long> k = parse_count(first);
    if (!k) throw bad("K must be a whole number or auto");
    index = *k;
    if (index < 1 || index > *count) throw bad(fmt::format("K must be in 1..{}", *count));
  }
  return ShardSpec{static_cast<int>(index), static_cast<int>(*count)};
}

int shard_of(const std::string& submission_id, int count) {
  const std::string digest = sha256_hex(submission_id);
  const std::uint64_t prefix = std::strtoull(digest.substr(0, 16).c_str(), nullptr, 16);
  return static_cast<int>(prefix % static_cast<std::uint64_t>(std::max(count, 1))) + 1;
}

std::vector<fs::path> select_shard(const std::vector<fs::path>& paths, const ShardSpec& shard) {
  std::vector<fs::path> selected;
  for (const fs::path& path : paths) {
    if (shard_of(discover_submission(path).id, shard.count) == shard.index) {
      selected.push_back(path);
    }
  }
  return selected;
}

Report merge_shard_reports(const std::vector<std::pair<std::string, Report>>& parts) {
  if (parts.empty()) throw UsageError("merge: no partial reports given");
  const auto& [first_origin, first] = parts.front();
  std::map<int, std::string> seen_index;       // shard index -> file
  std::map<std::string, std::string> seen_id;  // submission id -> file
  Report merged;
  merged.exercise = first.exercise;
  merged.grader_version = first.grader_version;
  merged.sandbox = first.sandbox;
  merged.scope = first.scope;
  merged.exercise_hash = first.exercise_hash;
  for (const auto& [origin, part] : parts) {
    if (!part.shard) {
      throw UsageError(fmt::format(
          "{}: /shard: missing; not a partial report of `grader batch --shard K/N`", origin));
    }
    const ShardInfo& shard = *part.shard;
    if (part.exercise != first.exercise) {
      throw UsageError(fmt::format("{}: /exercise: \"{}\", but {} is of exercise \"{}\"", origin,
                                   part.exercise, first_origin, first.exercise));
    }
    if (shard.exercise_hash != first.shard->exercise_hash || part.scope != first.scope) {
      throw UsageError(fmt::format(
          "{}: /shard/exercise_hash: \"{}\" differs from {}'s \"{}\": the parts were graded "
          "against different versions of the exercise, grader or toolchain",
          origin, shard.exercise_hash, first_origin, first.shard->exercise_hash));
    }
    if (shard.count != first.shard->count) {
      throw UsageError(fmt::format("{}: /shard/count: {}, but {} has {}", origin, shard.count,
                                   first_origin, first.shard->count));
    }
    if (shard.index < 1 || shard.index > shard.count) {
      throw UsageError(
          fmt::format("{}: /shard/index: {} is outside 1..{}", origin, shard.index, shard.count));
    }
    if (auto [it, fresh] = seen_index.emplace(shard.index, origin); !fresh) {
      throw UsageError(fmt::format("{}: shard {}/{} is also given as {}", origin, shard.index,
                                   shard.count, it->second));
    }
    std::vector<std::string> ids;
    for (const SubmissionResult& s : part.submissions) ids.push_back(s.id);
    if (ids != shard.submissions) {
      throw UsageError(
          fmt::format("{}: /submissions: {} results, but /shard/submissions lists {}: the part is "
                      "incomplete or edited",
                      origin, ids.size(), shard.submissions.size()));
    }
    std::set<std::string> own;
    for (const std::string& id : shard.submissions) {
      if (shard_of(id, shard.count) != shard.index) {
        throw UsageError(fmt::format("{}: submission \"{}\" belongs to shard {}/{}, not {}", origin,
                                     id, shard_of(id, shard.count), shard.count, shard.index));
      }
      if (!own.insert(id).second) continue;  // same id twice in one batch (x.py and x/)
      if (auto [it, fresh] = seen_id.emplace(id, origin); !fresh) {
        throw UsageError(fmt::format("{}: submission \"{}\" is also in {}: the parts overlap",
                                     origin, id, it->second));
      }
    }
    merged.unsafe = merged.unsafe || part.unsafe;
    merged.submissions.insert(merged.submissions.end(), part.submissions.begin(),
                              part.submissions.end());
  }
  std::vector<int> missing;
  for (int k = 1; k <= first.shard->count; ++k) {
    if (seen_index.count(k) == 0) missing.push_back(k);
  }
  if (!missing.empty()) {
    throw UsageError(fmt::format("merge: shard{} {} of {} missing", missing.size() == 1 ? "" : "s",
                                 fmt::join(missing, ", "), first.shard->count));
  }
  // The order of an unsharded batch: list_batch sorts the entries of DIR by name.
  std::stable_sort(merged.submissions.begin(), merged.submissions.end(),
                   [](const SubmissionResult& a, const SubmissionResult& b) {
                     return fs::path(a.path).filename() < fs::path(b.path).filename();
                   });
  return merged;
}

Report merge_shard_files(const std::vector<fs::path>& files) {
  std::vector<std::pair<std::string, Report>> parts;
  for (const fs::path& file : files) {
    const std::optional<std::string> text = detail::read_text(file);
    if (!text) throw UsageError(fmt::format("\"{}\": cannot read this file", file.string()));
    try {
      parts.emplace_back(file.string(), parse_json_report(*text, file.string()));
    } catch (const ReportError& e) {
      throw UsageError(e.what());
    }
  }
  return merge_shard_reports(parts);
}

}  // namespace grader
