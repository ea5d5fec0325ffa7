#pragma once
// The parts of `grader serve`, shared by its source files (not a public header).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "grader/cache.hpp"
#include "grader/grading.hpp"
#include "grader/policy.hpp"
#include "grader/report.hpp"
#include "grader/sandbox.hpp"
#include "grader/store.hpp"
#include "grader/uploads.hpp"

namespace httplib {
class Server;
}

namespace grader::detail {

using Json = nlohmann::ordered_json;

/// One prepared Grader per exercise of the course, made before the server listens (prepare uses
/// sandbox slots 0 .. workers-1, which the workers then own).
class ExerciseGraders {
 public:
  ExerciseGraders(std::filesystem::path exercises_root, std::unique_ptr<Sandbox> sandbox,
                  std::unique_ptr<Cache> cache, std::string python, std::filesystem::path work_dir);
  /// Loads and prepares every exercise, one line each on `log`.
  /// \throws SpecError, ToolchainError, SandboxError as Grader::prepare does.
  void prepare_all(int jobs, std::ostream& log);
  /// The grader of exercise `id`, or null when the course has no such exercise.
  Grader* find(const std::string& id);
  /// The exercise ids, sorted.
  std::vector<std::string> ids() const;

 private:
  std::filesystem::path root_;
  std::unique_ptr<Sandbox> sandbox_;
  std::unique_ptr<Cache> cache_;
  std::string python_;
  std::filesystem::path work_dir_;
  std::map<std::string, std::unique_ptr<Grader>> graders_;
};

/// The report's submission object (DESIGN.md section 3) for one result, as the JSON reporter
/// writes it, and the report's header without submissions.
Json submission_object(const Report& header, const SubmissionResult& result);
Json report_header_object(const Report& header);

/// The grading workers: each takes the oldest queued job from the store, grades it in its own
/// sandbox slot and stores the result with the job's end in one step.
class WorkerPool {
 public:
  WorkerPool(Store& store, FileStore& files, ExerciseGraders& graders, int workers,
             std::filesystem::path work_dir, std::ostream& log);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  void start();
  /// Tells an idle worker that a job was queued.
  void wake();
  /// Takes no new job; returns when the jobs being graded are done and stored.
  void stop();
  int busy() const { return busy_; }
  int size() const { return workers_; }

 private:
  void run(int slot);
  void grade_one(const StoredSubmission& job, int slot);

  Store& store_;
  FileStore& files_;
  ExerciseGraders& graders_;
  int workers_;
  std::filesystem::path work_dir_;
  std::ostream& log_;
  std::mutex log_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool pending_ = false;  // a job was queued since a worker last looked
  std::atomic<int> busy_{0};
  std::vector<std::thread> threads_;
};

/// What the API handlers need.
struct ApiContext {
  Store& store;
  FileStore& files;
  ExerciseGraders& graders;
  WorkerPool& pool;
  CourseRules rules;
  UploadLimits limits;
  int submissions_per_minute = 10;
};

/// Installs the routes of the API (/api/v1/..., /healthz) and the page (/) on `server`.
void install_routes(httplib::Server& server, ApiContext& context);

/// The web page served at `/`: HTML, CSS and script in one text, no external request.
std::string_view page_html();

/// Seconds since the Unix epoch by the server's clock.
std::int64_t now_seconds();

}  // namespace grader::detail
