#pragma once
/// \file
/// An exercise as data: `exercises/ID/exercise.json` loaded, validated and expanded into cases.
/// Nothing here knows what the exercise is about; a second exercise is a second folder.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "grader/compare.hpp"
#include "grader/status.hpp"
#include "grader/value.hpp"

namespace grader {

/// Resource limits of the exercise. Every field is optional in the spec; the defaults below are
/// the only place they are defined.
struct ExerciseLimits {
  std::int64_t compile_time_ms = 30000;    ///< wall time of one compile or syntax check
  std::int64_t compile_memory_mib = 1024;  ///< memory of the compiler's whole box
  std::int64_t cpu_time_ms = 2000;         ///< CPU time of one run of the harness
  std::int64_t wall_time_ms = 6000;        ///< wall time of one run of the harness
  std::int64_t memory_mib = 256;           ///< memory of the run's whole box
  std::int64_t output_limit_kib = 256;     ///< cap of the program's stdout and of its stderr, each
  std::int64_t max_processes = 32;         ///< processes and threads in one box
  std::int64_t file_size_kib = 16384;      ///< largest file a program may write
  std::int64_t box_size_mib = 64;          ///< total size of the box's working directory
  std::int64_t open_files = 64;            ///< open file descriptors
};

/// How one parameter of generated cases is drawn: uniform in [min, max], rounded to `decimals`.
struct ParamRange {
  double min = 0.0;
  double max = 0.0;
  int decimals = 3;
  bool nonzero = false;  ///< redraw a value that rounds to 0
};

/// Two parameters that must differ by at least `distance` in a generated case.
struct MinDifference {
  std::size_t first = 0;   ///< index into TaskSpec::params
  std::size_t second = 0;  ///< index into TaskSpec::params
  double distance = 0.0;
};

/// Deterministic generation of extra cases for a task, from the exercise's seed.
struct Generation {
  int count = 0;
  Visibility visibility = Visibility::Hidden;
  std::vector<ParamRange> params;  ///< one per TaskSpec::params, in that order
  double min_abs_expected = 0.0;   ///< drop a case whose reference answer is smaller than this
  std::vector<MinDifference> min_abs_difference;
};

/// A case as written in the spec or drawn by the generator: inputs only, no expected value.
struct CaseSpec {
  std::string id;  ///< "TASK/NAME", unique in the exercise
  std::size_t task = 0;
  Visibility visibility = Visibility::Visible;
  std::vector<Value> args;  ///< one per TaskSpec::params, of its type
  /// The answer, when the spec carries it (a student kit's visible cases); otherwise the
  /// reference computes it.
  std::optional<Value> expected;
};

/// One task: one function the student writes.
struct TaskSpec {
  std::string id;  ///< the function's name; also the task id in reports
  std::string title;
  std::string signature;                  ///< as shown to students
  std::vector<std::string> params;        ///< parameter names, in call order
  std::vector<ValueType> param_types;     ///< parallel to params; "number" unless the spec says
  ValueType returns = ValueType::Number;  ///< the result's type (`"returns"`)
  /// The type of parameter `i`: a number unless the spec says otherwise.
  ValueType param_type(std::size_t i) const {
    return i < param_types.size() ? param_types[i] : ValueType::Number;
  }
  double points = 0.0;
  Tolerance tolerance;
  std::vector<CaseSpec> cases;  ///< the explicit cases, in spec order
  std::optional<Generation> generation;
};

/// A known mistake as a student kit carries it: its answers on the kit's cases and its hint,
/// never its source.
struct KitMistake {
  std::string name;
  std::vector<std::string> tasks;
  std::string hint;
  std::map<std::string, Value> answers;  ///< by case id ("TASK/NAME")
};

/// Files of the exercise for one language, absolute paths.
struct LanguageSpec {
  std::optional<std::filesystem::path> header;  ///< put on the include path (C++)
  std::optional<std::filesystem::path> starter;
  std::string interpreter;  ///< Python: the interpreter; empty means the default
  /// Python: the third-party modules a submission may import (e.g. numpy); the standard
  /// library and the submission's own files always, nothing else.
  std::vector<std::string> modules;
};

/// A loaded and validated exercise.
struct ExerciseSpec {
  std::filesystem::path dir;            ///< exercises/ID
  std::filesystem::path spec_file;      ///< exercises/ID/exercise.json
  std::filesystem::path reference_dir;  ///< reference/ID
  std::string id;
  std::string title;
  std::optional<std::filesystem::path> statement;
  std::uint64_t seed = 0;
  std::map<Language, LanguageSpec> languages;
  ExerciseLimits limits;
  std::vector<TaskSpec> tasks;
  /// A student kit (`"scope": "visible"`, written by `grader kit`): visible cases only, each
  /// with its expected value; no seed, no generated cases, no reference.
  bool kit = false;
  std::vector<KitMistake> kit_mistakes;  ///< a kit's `"mistakes"`
};

/// Reads and validates `dir/exercise.json`. The reference folder is `dir/../../reference/ID`.
/// \throws SpecError naming the file, the JSON path and the value for any defect: missing file,
///         malformed JSON, wrong type, unknown key, missing file of the exercise, duplicate ids.
ExerciseSpec load_exercise(const std::filesystem::path& dir);

/// The exercise ids under `exercises_root` (folders holding an `exercise.json`), sorted.
std::vector<std::string> list_exercises(const std::filesystem::path& exercises_root);

/// The course's default exercise: `default_exercise` of `exercises_root/course.json`, when
/// that file exists. \throws SpecError when the file is malformed.
std::optional<std::string> default_exercise(const std::filesystem::path& exercises_root);

/// Loads the exercise `id` from `exercises_root`; when `id` is empty, the only one there or
/// the course's default (course.json).
/// \throws SpecError when `id` is unknown, or empty while there are several and no default
///         (or none at all).
ExerciseSpec find_exercise(const std::filesystem::path& exercises_root, const std::string& id);

/// Where exercises live when no `--exercises` is given: `$GRADER_EXERCISES`, then
/// `exercises/` beside the executable's `../..` (the build tree), then `./exercises`.
std::filesystem::path default_exercises_root(const std::filesystem::path& executable);

/// Draws `count` candidate argument lists for generated cases of task `task_index`, in a
/// platform-independent order (own PRNG seeded from the exercise seed and the task id). The
/// candidates satisfy the ranges, `nonzero` and `min_abs_difference`; `min_abs_expected` needs
/// the reference's answers and is applied by the caller.
std::vector<std::vector<double>> draw_candidates(const ExerciseSpec& spec, std::size_t task_index,
                                                 std::size_t count);

}  // namespace grader
