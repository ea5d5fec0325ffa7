#include "grader/batch.hpp"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "grader/error.hpp"

namespace grader {

std::vector<SubmissionResult> grade_many(Grader& grader,
                                         const std::vector<std::filesystem::path>& paths, int jobs,
                                         const BatchCallback& on_result) {
  std::vector<SubmissionResult> results(paths.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards progress, the callback and `fatal`
  BatchProgress progress;
  progress.total = paths.size();
  std::exception_ptr fatal;

  const auto worker = [&](int slot) {
    while (!stop) {
      const std::size_t i = next++;
      if (i >= paths.size()) return;
      SubmissionResult result;
      try {
        result = grader.grade(paths[i], slot);
      } catch (const SandboxError& e) {
        result = SubmissionResult{};
        result.id = paths[i].filename().string();
        result.path = paths[i].string();
        result.status = SubmissionStatus::InternalError;
        result.message = e.what();
      } catch (const Error&) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!fatal) fatal = std::current_exception();
        stop = true;
        return;
      } catch (const std::exception& e) {
        result = SubmissionResult{};
        result.id = paths[i].filename().string();
        result.path = paths[i].string();
        result.status = SubmissionStatus::InternalError;
        result.message = fmt::format("unexpected error: {}", e.what());
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++progress.done;
      if (result.status != SubmissionStatus::Graded || result.score < result.max_score) {
        ++progress.failures;
      }
      results[i] = std::move(result);
      if (on_result) on_result(results[i], progress);
    }
  };

  const int workers = std::max(1, std::min<int>(jobs, static_cast<int>(paths.size())));
  std::vector<std::thread> threads;
  for (int slot = 1; slot < workers; ++slot) threads.emplace_back(worker, slot);
  worker(0);
  for (auto& t : threads) t.join();
  if (fatal) std::rethrow_exception(fatal);
  return results;
}

}  // namespace grader
