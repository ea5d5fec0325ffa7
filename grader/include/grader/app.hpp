#pragma once
/// \file
/// The commands of the `grader` executable, as functions over streams so that they can be
/// tested without starting a process. `main` only parses arguments and maps errors to exit codes.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "grader/error.hpp"

namespace grader {

/// Everything the command line can set.
struct AppOptions {
  std::filesystem::path executable;          ///< this program, to find grader-box and exercises
  std::string exercise;                      ///< --exercise
  std::filesystem::path exercises_root;      ///< --exercises
  std::filesystem::path report_file;         ///< --report
  std::optional<double> min_score;           ///< --min-score, a fraction 0..1
  std::string color = "auto";                ///< --color
  std::string python;                        ///< --python
  bool unsafe_no_sandbox = false;            ///< --unsafe-no-sandbox
  bool quiet = false;                        ///< --quiet
  std::vector<std::filesystem::path> paths;  ///< grade PATH...
  std::filesystem::path batch_dir;           ///< batch DIR
  int jobs = 0;                              ///< -j; 0 means the number of cores
  std::filesystem::path init_dir;            ///< init DIR
  std::string init_language;                 ///< init --language
  bool show_hidden = false;                  ///< cases --show-hidden
  std::vector<std::string> formats;          ///< --format, repeatable
  std::filesystem::path report_dir;          ///< --report-dir
  std::filesystem::path cache_dir;           ///< --cache-dir; empty: default_cache_dir()
  bool no_cache = false;                     ///< --no-cache
  std::string shard;                         ///< batch --shard K/N (or auto/N)
  std::vector<std::filesystem::path> merge_parts;  ///< merge PARTS...
  std::optional<std::string> changed_since;    ///< grade --changed-since REF (paths: 0 or 1 DIR)
  std::optional<std::string> pull_request;     ///< grade --pull-request HEAD (with --changed-since)
  std::filesystem::path roster;                ///< grade --roster FILE (with --pull-request)
  std::string author;                          ///< grade --author LOGIN (with --pull-request)
  std::filesystem::path harness_dir;           ///< harness --output DIR
  bool doctor_strict = false;                  ///< doctor --strict
  std::filesystem::path kit_dir;               ///< kit --output DIR
  bool similarity = false;                     ///< batch --similarity
  std::optional<double> similarity_threshold;  ///< --threshold, --similarity-threshold
  std::optional<double> boilerplate_share;     ///< similarity --boilerplate; unset: the default
  std::optional<int> similarity_kgram;         ///< similarity --kgram; unset: the default
  std::optional<int> similarity_window;        ///< similarity --window; unset: the default
  std::optional<int> similarity_min_shared;    ///< similarity --min-shared; unset: the default
};

/// `grader grade PATH...`: detailed feedback per submission on `out`. With `--changed-since REF
/// [DIR]`, the submissions of DIR that differ from REF; adding `--pull-request HEAD`, the one
/// submission that commit HEAD changes, copied out of git's objects (pull_request.hpp).
/// \throws PullRequestRefused (exit code 2) when the pull request changes anything else; with
///         `--format github` its annotations and job summary are written first.
ExitCode run_grade(const AppOptions& options, std::ostream& out, std::ostream& err);
/// `grader batch DIR`: one line per submission and a summary on `out`.
ExitCode run_batch(const AppOptions& options, std::ostream& out, std::ostream& err);
/// `grader merge PARTS... --report FILE`: joins the partial reports of `batch --shard`.
/// \throws UsageError (exit 2) for bad, overlapping, missing or mismatched parts.
ExitCode run_merge(const AppOptions& options, std::ostream& out, std::ostream& err);
/// `grader cache clear`: empties the cache folder (--cache-dir, else the default).
ExitCode run_cache_clear(const AppOptions& options, std::ostream& out);
/// `grader doctor`: what isolation this machine offers, and whether grading is safe here. With
/// `--strict`, exit code 3 unless it is.
ExitCode run_doctor(const AppOptions& options, std::ostream& out);
/// `grader init DIR --language L`: the exercise's starter files.
ExitCode run_init(const AppOptions& options, std::ostream& out);
/// `grader cases`: the graded cases and their expected values as JSON (hidden ones only with
/// `show_hidden`, for instructors).
ExitCode run_list_cases(const AppOptions& options, std::ostream& out, std::ostream& err);
/// `grader check-exercise [ID]`: the checks of exercise_check.hpp, one line each; exit code 3
/// when one fails (or the spec does not load).
ExitCode run_check_exercise(const AppOptions& options, std::ostream& out);
/// `grader harness --output DIR`: the grader's harnesses as an exercise uses them (harness.cpp
/// with its generated bindings.inc, harness.py), for authors and benchmarks.
ExitCode run_write_harness(const AppOptions& options, std::ostream& out);
/// `grader kit --output DIR`: the public part of the exercise (`--exercise`), or of every
/// exercise, for students (kit.hpp). \throws ReportError when DIR cannot be written.
ExitCode run_kit(const AppOptions& options, std::ostream& out, std::ostream& err);

/// `grader similarity DIR`: the pairs of submissions of DIR that share code, ranked, on `out`;
/// `--report FILE` and `--format json|csv|html --report-dir DIR` write them (report.json with a
/// `similarity` section, similarity.csv, similarity.html). Exit code 0 whatever is found.
/// \throws UsageError for a bad format or folder; SpecError when the exercise does not load.
ExitCode run_similarity(const AppOptions& options, std::ostream& out, std::ostream& err);
/// `grader explain`: the exercise's statement.
ExitCode run_explain(const AppOptions& options, std::ostream& out);

/// The absolute path of the running executable (/proc/self/exe), else `argv0`.
std::filesystem::path executable_path(const std::string& argv0);

/// The grader's version string.
std::string grader_version();

}  // namespace grader
