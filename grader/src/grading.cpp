// Grading one submission: build, run the cases, score, and the result cache.

#include "grader/grading.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "files.hpp"
#include "grader/cache.hpp"
#include "grader/error.hpp"
#include "grader/submission.hpp"

#ifndef GRADER_VERSION
#define GRADER_VERSION "0.0.0"
#endif

namespace grader {

namespace fs = std::filesystem;

std::string grader_version() { return GRADER_VERSION; }

Grader::Grader(ExerciseSpec spec, Sandbox& sandbox, fs::path work_dir, GraderOptions options)
    : spec_(std::move(spec)),
      sandbox_(sandbox),
      work_dir_(std::move(work_dir)),
      options_(std::move(options)) {}

Grader::~Grader() = default;

void Grader::expect_submissions(const std::vector<fs::path>& paths) {
  expected_.clear();
  if (options_.jobs < 2) return;
  for (const fs::path& path : paths) {
    try {
      Submission submission = discover_submission(path);
      if (submission.problem.empty() && submission.language) {
        expected_.push_back(std::move(submission));
      }
    } catch (const std::exception&) {
      // Reported when that submission is graded.
    }
  }
}

Toolchain& Grader::toolchain_for(Language language) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = toolchains_.find(language);
  if (it != toolchains_.end()) return *it->second;
  std::unique_ptr<Toolchain> toolchain =
      language == Language::Cpp ? make_gxx_toolchain(spec_, sandbox_)
                                : make_python_toolchain(spec_, options_.python, &sandbox_);
  const fs::path dir = work_dir_ / fmt::format("toolchain-{}", to_string(language));
  fs::create_directories(dir);
  // Slot 1 is free while the exercise is prepared (slot 0) and before the workers start.
  if (!expected_.empty()) toolchain->expect(expected_, 1);
  toolchain->prepare(dir);
  // Files this toolchain prepared that the cache entry did not bring join the entry.
  bool made_files = false;
  for (const fs::path& file : toolchain->prepared_files()) {
    made_files = made_files || !restored_files_.count((dir.filename() / file).generic_string());
  }
  Toolchain& made = *toolchains_.emplace(language, std::move(toolchain)).first->second;
  // Not while prepare() is still making the answer key: the entry it stores at its end has them.
  if (made_files && options_.cache != nullptr && key_ready_.load()) store_prepared();
  return made;
}

// Puts back what a cached result does not store: signatures, and the tolerances of hidden cases.
void Grader::restore_from_spec(SubmissionResult& result) const {
  for (TaskResult& task : result.tasks) {
    for (const TaskSpec& spec : spec_.tasks) {
      if (spec.id != task.id) continue;
      task.signature = spec.signature;
      for (CaseResult& c : task.cases) {
        if (c.visibility == Visibility::Hidden) c.tolerance = spec.tolerance;
      }
    }
  }
}

Report Grader::report_header() const {
  Report report;
  report.exercise = spec_.id;
  report.scope = spec_.kit ? "visible" : "full";
  report.exercise_hash = exercise_hash_;
  report.grader_version = grader_version();
  report.sandbox = sandbox_.description();
  report.unsafe = sandbox_.unsafe();
  return report;
}

SubmissionResult Grader::grade(const fs::path& path, int slot) {
  const auto started = std::chrono::steady_clock::now();
  const Submission submission = discover_submission(path);
  SubmissionResult result;
  result.id = submission.id;
  result.path = path.string();
  result.language = submission.language;
  for (const TaskSpec& task : spec_.tasks) result.max_score += task.points;
  const auto finish = [&](SubmissionResult r) {
    r.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    return r;
  };
  if (!submission.problem.empty()) {
    result.status = SubmissionStatus::Invalid;
    result.message = submission.problem;
    return finish(result);
  }
  result.content_hash = content_hash(submission);
  if (options_.cache != nullptr) {
    if (std::optional<SubmissionResult> hit =
            options_.cache->load_result(exercise_hash_, result.content_hash)) {
      hit->id = submission.id;
      hit->path = path.string();
      hit->cached = true;
      restore_from_spec(*hit);
      return finish(std::move(*hit));
    }
  }
  const auto store = [&](const SubmissionResult& r) {
    // Never under a key made with a sandbox description that turned out wrong.
    if (options_.cache != nullptr && sandbox_.confirm()) {
      options_.cache->store_result(exercise_hash_, r);
    }
  };
  Toolchain& toolchain = toolchain_for(*submission.language);
  const fs::path dir = work_dir_ / fmt::format("job-{}", next_job_++);
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};

  BuildResult build = toolchain.build(submission, dir, slot);
  result.compile_output = build.diagnostics;
  result.compile_errors = build.errors;
  const auto compile_error = [&]() {
    result.status = SubmissionStatus::CompileError;
    result.message =
        result.compile_errors.empty()
            ? "the build failed"
            : fmt::format("{}:{}:{}: {}", result.compile_errors.front().file,
                          result.compile_errors.front().line, result.compile_errors.front().column,
                          result.compile_errors.front().message);
    result = finish(result);
    store(result);
    return result;
  };
  if (!build.ok) return compile_error();
  const RunnerResult run =
      run_cases(build.program, harness_cases_, sandbox_, run_limits(spec_.limits), dir, slot);
  if (!run.build_error.empty()) {
    // The check that starts the launch (Python's syntax check) failed: nothing ran.
    result.compile_output = detail::cap_text(run.build_error, kMaxDiagnosticsBytes);
    result.compile_errors = parse_compiler_errors(run.build_error);
    return compile_error();
  }
  std::vector<std::string> defined;
  const bool missing = std::any_of(run.runs.begin(), run.runs.end(), [](const CaseRun& r) {
    return r.kind == CaseRun::Kind::Missing;
  });
  if (missing) defined = toolchain.defined_functions(build.program, slot);
  SubmissionResult scored = score(submission, run, slot, defined);
  scored.compile_output = result.compile_output;
  scored.compile_errors = result.compile_errors;
  scored = finish(scored);
  store(scored);
  return scored;
}

}  // namespace grader
