#pragma once
/// \file
/// The pipeline: discover -> build -> run -> compare -> score, for one exercise.

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "grader/exercise.hpp"
#include "grader/report.hpp"
#include "grader/runner.hpp"
#include "grader/sandbox.hpp"
#include "grader/toolchain.hpp"

namespace grader {

class Cache;

/// A case with its answer: the reference's value, computed once per grader run.
struct GradedCase {
  CaseSpec spec;
  Value expected;
};

/// A known mistake from `reference/ID/mistakes/`: its answers on every graded case.
struct MistakeModel {
  std::string name;                ///< file name without extension, e.g. "missing-factor-2"
  std::vector<std::string> tasks;  ///< tasks it is about (`// task:` line)
  std::string hint;                ///< `// hint:` line
  std::vector<std::optional<Value>> answers;  ///< parallel to the graded cases, once `ready`
  /// Whether the model has been run. Models are run when a task they are about first fails
  /// (or all at once by Grader::prepare_mistakes), not before.
  bool ready = true;
};

/// Settings of a grading session.
struct GraderOptions {
  std::string python;    ///< Python interpreter override; empty for the exercise's or the default
  bool diagnose = true;  ///< build the mistake catalogue and diagnose failing tasks
  /// Where prepared exercises and results are kept (cache.hpp); null: nothing is cached.
  Cache* cache = nullptr;
  /// Sandbox slots `prepare` may use at once (0 .. jobs-1) to run the mistake catalogue.
  int jobs = 1;
};

/// Grades submissions of one exercise. `prepare` once, then `grade` from any number of threads,
/// each with its own slot.
class Grader {
 public:
  Grader(ExerciseSpec spec, Sandbox& sandbox, std::filesystem::path work_dir,
         GraderOptions options = {});
  ~Grader();
  Grader(const Grader&) = delete;
  Grader& operator=(const Grader&) = delete;

  /// Compiles the harnesses, runs the reference to build the answer key (drawing the generated
  /// cases), and reads the mistake catalogue; a mistake model is built and run only when a
  /// task it is about first fails in grade() (or by prepare_mistakes). With a cache, restores
  /// all of this from an entry keyed by exercise_hash() when there is one, and stores it
  /// otherwise, and again whenever more mistake models have run.
  /// \throws SpecError when the reference is missing, does not build, or gives a non-finite or
  ///         missing answer; ToolchainError, SandboxError as the steps do.
  void prepare();

  /// Before `prepare`, for a batch: the submissions about to be graded, so that what several
  /// of them share (a precompiled header) is made on a spare slot while the exercise is
  /// prepared. Does nothing with a single job.
  void expect_submissions(const std::vector<std::filesystem::path>& paths);

  /// Grades the submission at `path` in box `slot`. A student's failure is in the result; only
  /// the grader's own failures throw. With a cache, a stored result for the same content is
  /// returned instead (with this `path` and id, and `cached` set), and a new result is stored
  /// as soon as it is known.
  /// \throws UsageError when `path` does not exist; SandboxError when the sandbox fails.
  SubmissionResult grade(const std::filesystem::path& path, int slot);

  /// Runs every mistake model that has not run yet, in up to `options.jobs` slots at once
  /// (after prepare; for check-exercise and kits, which need them all).
  /// \throws SpecError when a model does not build or load.
  void prepare_mistakes();

  const ExerciseSpec& spec() const { return spec_; }
  const std::vector<GradedCase>& cases() const { return cases_; }
  /// The mistake catalogue; every model's answers are there after prepare_mistakes.
  const std::vector<MistakeModel>& mistakes() const { return mistakes_; }
  /// Hash of everything that decides a result apart from the submission: spec, harnesses,
  /// reference, mistakes, grader version, sandbox mode, and the toolchains (their flags, and the
  /// resolved path, size and modification time of the compiler and interpreter). Set by prepare.
  const std::string& exercise_hash() const { return exercise_hash_; }
  /// The header of a report (exercise, version, sandbox) without submissions.
  Report report_header() const;

  /// The reference solution that makes the answer key: `reference/ID/solution.cpp`, else
  /// `solution.py`. \throws SpecError when there is neither.
  std::filesystem::path reference_file() const;
  /// Builds and runs a model solution (a reference or a mistake) on the graded cases (after
  /// prepare) in box `slot`: its answer per case, none where it gave no number.
  /// \throws SpecError when it does not build or load (`label` names it in the message).
  std::vector<std::optional<Value>> run_model(const std::filesystem::path& source,
                                              const std::string& label, int slot);

 private:
  Toolchain& toolchain_for(Language language);
  HarnessCase harness_case(const CaseSpec& c) const;
  std::string compute_exercise_hash() const;
  bool restore_prepared();
  void store_prepared();
  void restore_from_spec(SubmissionResult& result) const;
  /// Runs, in box `slot`, the mistake models about `task_id` that have not run yet.
  void ensure_mistakes(const std::string& task_id, int slot);
  /// Runs model `i` once, whichever thread asks first; true when this call ran it.
  bool run_mistake_once(std::size_t i, int slot);
  /// Builds, once, the program of every C++ model not run yet (combined_models), in box
  /// `slot`; without it (a model that cannot share it, a build that fails) each model is built
  /// on its own, as it reports its own errors.
  void build_combined_models(int slot);
  /// Model `i`'s answers from the combined program; std::nullopt when it is not in it or its
  /// run did not load.
  std::optional<std::vector<std::optional<Value>>> run_combined_model(std::size_t i, int slot);
  /// The mistake files of reference/ID/mistakes (.cpp and .py), sorted by path.
  std::vector<std::filesystem::path> list_mistake_files() const;
  void set_mistake_flags();
  /// `defined`: what the program defines (Toolchain::defined_functions), asked only when a
  /// function was missing, to say what was written instead.
  /// Reads the answers of the models a restored entry says have run; a model whose answers
  /// cannot be read any more (the file changed or went) is run again when needed.
  void load_stored_answers();
  SubmissionResult score(const Submission& submission, const RunnerResult& run, int slot,
                         const std::vector<std::string>& defined = {});

  ExerciseSpec spec_;
  Sandbox& sandbox_;
  std::filesystem::path work_dir_;
  GraderOptions options_;
  std::map<Language, std::unique_ptr<Toolchain>> toolchains_;
  std::vector<GradedCase> cases_;
  std::vector<HarnessCase> harness_cases_;
  std::vector<MistakeModel> mistakes_;
  std::string exercise_hash_;
  /// Set once the answer key is complete (made or restored): only then is an entry stored.
  std::atomic<bool> key_ready_{false};
  // The toolchain files restore_prepared wrote ("toolchain-cpp/harness-out/harness.o").
  std::set<std::string> restored_files_;
  // Given by expect_submissions, handed to each toolchain before its prepare.
  std::vector<Submission> expected_;
  std::atomic<std::uint64_t> next_job_{0};
  std::vector<std::filesystem::path> mistake_files_;  ///< parallel to mistakes_
  std::unique_ptr<std::once_flag[]> mistake_once_;    ///< one per mistake model
  std::unique_ptr<std::atomic<bool>[]> mistake_ready_;
  /// Set by the first worker that takes model i, so that others take another one meanwhile.
  std::unique_ptr<std::atomic<bool>[]> mistake_taken_;
  std::mutex mistakes_mutex_;  ///< guards writes of mistakes_[i].answers and reading them all
  /// The models' answers of a restored entry are read only when first needed (a task fails,
  /// all models are wanted, or the entry is stored again): load_stored_answers.
  std::string stored_answers_sha256_;
  std::once_flag stored_answers_once_;
  std::once_flag combined_once_;
  std::optional<Program> combined_program_;  ///< set once by build_combined_models
  std::vector<int> combined_number_;         ///< per model: its number there, or -1
  // Last: destroyed first, so that the background build (prepare, in a batch) has ended
  // before the members it uses go.
  std::future<void> combined_build_;
};

/// The grader's version string.
std::string grader_version();

/// Diagnoses one failing task from the student's answers on its cases (NUMERICS.md section 8):
/// a unique matching mistake, else a ratio hint holding on every failing case, else a
/// precision hint. `answers` and `cases` are parallel; only the task's failing cases count.
std::optional<Diagnosis> diagnose_task(const TaskSpec& task, std::size_t task_index,
                                       const std::vector<GradedCase>& cases,
                                       const std::vector<std::optional<Value>>& answers,
                                       const std::vector<CaseStatus>& statuses,
                                       const std::vector<MistakeModel>& mistakes);

}  // namespace grader
