#pragma once
/// \file
/// The on-disk cache: never redo work. Two kinds of entries, both keyed by content:
///
/// - the prepared exercise (answer key, mistake catalogue, compiled harness objects), keyed by
///   the exercise hash (Grader::exercise_hash());
/// - one submission's result, keyed by the exercise hash and the submission's content hash.
///
/// Layout under the cache folder (docs/scaling.md):
///
///     CACHEDIR.TAG
///     v3/EXERCISE_HASH/prepared.json             answer key and mistake catalogue (diagnosis)
///     v3/EXERCISE_HASH/prepared-answers.txt      the mistake models' answers, a line per model
///     v3/EXERCISE_HASH/prepared-no-diagnose.json answer key only
///     v3/EXERCISE_HASH/files/NAME                toolchain products, e.g. toolchain-cpp/harness.o
///     v3/EXERCISE_HASH/results/CONTENT_HASH.json one submission's result (a one-entry report)
///     sandbox/probe-KEY                          the sandbox probe's last answer (sandbox.hpp)
///
/// Every write goes to a temporary file that is renamed over the entry, so a reader (or a run
/// killed at any moment) sees a whole entry or none. An entry that does not parse, or whose
/// recorded key does not match its name, is ignored and rewritten by the next store. A cache
/// that cannot be written never fails grading: the first failure is reported once as a warning.

#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "grader/grading.hpp"
#include "grader/report.hpp"

namespace grader {

/// Version of the cache layout; a new one starts a fresh `vN/` folder.
inline constexpr int kCacheFormat = 3;

/// The default cache folder: `$XDG_CACHE_HOME/grader` when XDG_CACHE_HOME is set and absolute,
/// else `$HOME/.cache/grader`; empty when neither can be told (then nothing is cached).
std::filesystem::path default_cache_dir();

/// What Grader::prepare() computes, in a form that can be stored and restored.
struct PreparedExercise {
  std::vector<GradedCase> cases;
  std::vector<MistakeModel> mistakes;
  /// Products of the toolchains' prepare, by relative path under the grader's work folder
  /// (e.g. "toolchain-cpp/harness-out/harness.o"), with their bytes.
  std::map<std::string, std::string> files;
  /// The mistake models' answers are stored apart and read only when a task fails (most of
  /// an entry's bytes; a correct submission never needs them): load_prepared leaves every
  /// model's `answers` empty and sets this to the hash Cache::load_answers checks them by.
  /// Empty when the entry has no answers.
  std::string answers_sha256;
};

/// A cache folder. Safe to use from several threads and several processes at once.
class Cache {
 public:
  /// `dir` need not exist yet; it is created by the first store. `warnings` (may be null) gets
  /// one line the first time a store fails.
  explicit Cache(std::filesystem::path dir, std::ostream* warnings = nullptr);

  const std::filesystem::path& dir() const { return dir_; }

  /// The stored result of the submission with `content_hash` for the exercise `exercise_hash`,
  /// or std::nullopt when there is none or it is unreadable. Its `id` and `path` are those it
  /// was stored with; the caller replaces them.
  std::optional<SubmissionResult> load_result(const std::string& exercise_hash,
                                              const std::string& content_hash) const;

  /// Stores `result` under its `content_hash`. Results without a content hash and
  /// `internal_error` results are not stored (the latter is the grader's fault, never the
  /// submission's). Never throws.
  void store_result(const std::string& exercise_hash, const SubmissionResult& result);

  /// The stored prepared exercise, or std::nullopt when there is none or it is unreadable or
  /// inconsistent (a products file missing or changed). `variant` tells apart preparations of
  /// the same exercise with different settings ("prepared", "prepared-no-diagnose").
  std::optional<PreparedExercise> load_prepared(const std::string& exercise_hash,
                                                const std::string& variant) const;

  /// The mistake models' answers of the stored prepared exercise, a list per model in the
  /// catalogue's order (empty for a model not run), when they are still those whose hash the
  /// entry recorded (PreparedExercise::answers_sha256) and there are `models` of them;
  /// std::nullopt otherwise.
  std::optional<std::vector<std::vector<std::optional<Value>>>> load_answers(
      const std::string& exercise_hash, const std::string& variant, const std::string& sha256,
      std::size_t models) const;

  /// Stores a prepared exercise, its mistake models' answers included. Never throws.
  void store_prepared(const std::string& exercise_hash, const std::string& variant,
                      const PreparedExercise& prepared);

  /// Number of stored results of `exercise_hash` (for progress messages and tests).
  std::size_t count_results(const std::string& exercise_hash) const;

  /// Removes every entry of this cache layout (the `vN/` folders and CACHEDIR.TAG), leaving
  /// other files in the folder alone. Returns the number of files removed.
  /// \throws UsageError when the folder exists but cannot be emptied.
  std::size_t clear();

 private:
  std::filesystem::path exercise_dir(const std::string& exercise_hash) const;
  void write_entry(const std::filesystem::path& file, const std::string& content);
  void warn(const std::string& message);

  std::filesystem::path dir_;
  std::ostream* warnings_;
  std::mutex mutex_;  // guards warned_
  bool warned_ = false;
};

/// Writes `text` to `file` through a temporary file unique to this process and thread, then
/// renames it over `file` (atomic on POSIX). Creates parent folders.
/// \throws std::system_error when the file cannot be written.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace grader
