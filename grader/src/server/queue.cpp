// The job queue's workers and the prepared graders they share.

#include <fmt/format.h>

#include <chrono>
#include <sstream>

#include "../files.hpp"
#include "grader/error.hpp"
#include "grader/exercise.hpp"
#include "service.hpp"

namespace grader::detail {
namespace {

namespace fs = std::filesystem;

// A result for a job the grader could not grade through its own fault; the job is still done,
// so that one broken submission cannot block the queue.
SubmissionResult internal_error(const StoredSubmission& job, const std::string& why) {
  SubmissionResult r;
  r.id = job.id;
  r.path = job.id;
  r.status = SubmissionStatus::InternalError;
  r.message = why;
  return r;
}

}  // namespace

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ExerciseGraders::ExerciseGraders(fs::path exercises_root, std::unique_ptr<Sandbox> sandbox,
                                 std::unique_ptr<Cache> cache, std::string python,
                                 fs::path work_dir)
    : root_(std::move(exercises_root)),
      sandbox_(std::move(sandbox)),
      cache_(std::move(cache)),
      python_(std::move(python)),
      work_dir_(std::move(work_dir)) {}

void ExerciseGraders::prepare_all(int jobs, std::ostream& log) {
  const std::vector<std::string> ids = list_exercises(root_);
  if (ids.empty()) {
    throw SpecError(
        fmt::format("{}: no exercise found (a folder with an exercise.json)", root_.string()));
  }
  for (const std::string& id : ids) {
    ExerciseSpec spec = find_exercise(root_, id);
    auto grader = std::make_unique<Grader>(std::move(spec), *sandbox_, work_dir_ / "exercises" / id,
                                           GraderOptions{python_, true, cache_.get(), jobs});
    grader->prepare();
    // Every mistake model now, not when a student's task first fails: a model that does not
    // build stops the server here, with its file named, instead of costing a submission.
    grader->prepare_mistakes();
    log << fmt::format("grader serve: exercise {} ready ({} cases)\n", id, grader->cases().size());
    graders_[id] = std::move(grader);
  }
}

Grader* ExerciseGraders::find(const std::string& id) {
  auto it = graders_.find(id);
  return it == graders_.end() ? nullptr : it->second.get();
}

std::vector<std::string> ExerciseGraders::ids() const {
  std::vector<std::string> out;
  for (const auto& entry : graders_) out.push_back(entry.first);
  return out;
}

Json report_header_object(const Report& header) {
  Report empty = header;
  empty.submissions.clear();
  std::ostringstream text;
  auto reporter = make_json_reporter(text);
  write_report(*reporter, empty);
  return Json::parse(text.str());
}

Json submission_object(const Report& header, const SubmissionResult& result) {
  Report one = header;
  one.submissions = {result};
  std::ostringstream text;
  auto reporter = make_json_reporter(text);
  write_report(*reporter, one);
  return Json::parse(text.str())["submissions"][0];
}

WorkerPool::WorkerPool(Store& store, FileStore& files, ExerciseGraders& graders, int workers,
                       fs::path work_dir, std::ostream& log)
    : store_(store),
      files_(files),
      graders_(graders),
      workers_(workers),
      work_dir_(std::move(work_dir)),
      log_(log) {}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::start() {
  for (int slot = 0; slot < workers_; ++slot) threads_.emplace_back([this, slot] { run(slot); });
}

void WorkerPool::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = true;
  }
  wake_.notify_one();
}

void WorkerPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::run(int slot) {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    std::optional<StoredSubmission> job;
    try {
      job = store_.claim_next();
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(log_mutex_);
      log_ << "grader serve: warning: cannot take a job from the queue: " << e.what() << "\n";
    }
    if (!job) {
      // Idle until wake(). A job queued between the empty claim and this wait has set
      // `pending_`, so it is not missed; the timeout only bounds the wait.
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return pending_ || stopping_; });
      pending_ = false;
      continue;
    }
    ++busy_;
    grade_one(*job, slot);
    --busy_;
  }
}

void WorkerPool::grade_one(const StoredSubmission& job, int slot) {
  const fs::path dir = work_dir_ / "jobs" / job.id;
  SubmissionResult result;
  Grader* grader = graders_.find(job.exercise);
  try {
    if (grader == nullptr) throw SpecError(fmt::format("exercise {:?} is gone", job.exercise));
    std::error_code ec;
    fs::remove_all(dir, ec);
    for (const StoredFile& f : job.files) write_text(dir / f.name, files_.get(f.hash));
    result = grader->grade(dir, slot);
  } catch (const std::exception& e) {
    result = internal_error(job, e.what());
  }
  result.id = job.id;
  result.path = job.id;
  std::error_code ec;
  fs::remove_all(dir, ec);
  const Report header = grader ? grader->report_header() : Report{};
  try {
    store_.finish(job.id, submission_object(header, result).dump(), now_seconds());
  } catch (const std::exception& e) {
    // Left running: the next start puts it back in the queue.
    std::lock_guard<std::mutex> lock(log_mutex_);
    log_ << fmt::format("grader serve: warning: cannot store the result of {}: {}\n", job.id,
                        e.what());
  }
}

}  // namespace grader::detail
