#include "grader/batch.hpp"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "grader/error.hpp"
#include "grader/submission.hpp"

namespace grader {
namespace {

struct Identity {
  std::string id;
  std::string hash;       ///< empty when it cannot be told (invalid, missing): graded on its own
  bool compiled = false;  ///< C++: a compile and a link before the run
};

// The submission's id, content hash and whether it is compiled.
Identity identify(const std::filesystem::path& path) {
  try {
    const Submission submission = discover_submission(path);
    if (!submission.problem.empty() || !submission.language) return {submission.id, "", false};
    return {submission.id, content_hash(submission), *submission.language == Language::Cpp};
  } catch (const std::exception&) {
    return {path.filename().string(), "", false};
  }
}

}  // namespace

std::vector<SubmissionResult> grade_many(Grader& grader,
                                         const std::vector<std::filesystem::path>& paths, int jobs,
                                         const BatchCallback& on_result) {
  std::vector<SubmissionResult> results(paths.size());
  // Identical submissions (same content hash) are graded once: the first of each group is
  // graded, the others get a copy under their own id and path, marked `cached`.
  std::vector<std::string> ids(paths.size());
  std::vector<std::size_t> leaders;  // indices of paths to grade
  std::vector<std::vector<std::size_t>> followers(paths.size());
  std::map<std::string, std::size_t> first_with_hash;
  std::vector<std::size_t> interpreted;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Identity identity = identify(paths[i]);
    ids[i] = std::move(identity.id);
    if (!identity.hash.empty()) {
      auto [it, fresh] = first_with_hash.emplace(identity.hash, i);
      if (!fresh) {
        followers[it->second].push_back(i);
        continue;
      }
    }
    (identity.compiled ? leaders : interpreted).push_back(i);
  }
  // The long jobs (a compile and a link) first, the short ones last: the workers then finish
  // close together instead of one compiling alone at the end.
  leaders.insert(leaders.end(), interpreted.begin(), interpreted.end());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards progress, the callback and `fatal`
  BatchProgress progress;
  progress.total = paths.size();
  std::exception_ptr fatal;

  const auto record = [&](std::size_t i, SubmissionResult result) {  // with `mutex` held
    ++progress.done;
    if (result.status != SubmissionStatus::Graded || result.score < result.max_score) {
      ++progress.failures;
    }
    results[i] = std::move(result);
    if (on_result) on_result(results[i], progress);
  };

  const auto worker = [&](int slot) {
    while (!stop) {
      const std::size_t n = next++;
      if (n >= leaders.size()) return;
      const std::size_t i = leaders[n];
      SubmissionResult result;
      try {
        result = grader.grade(paths[i], slot);
      } catch (const SandboxError& e) {
        result = SubmissionResult{};
        result.id = ids[i];
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
        result.id = ids[i];
        result.path = paths[i].string();
        result.status = SubmissionStatus::InternalError;
        result.message = fmt::format("unexpected error: {}", e.what());
      }
      std::lock_guard<std::mutex> lock(mutex);
      record(i, std::move(result));
      for (const std::size_t f : followers[i]) {
        SubmissionResult copy = results[i];
        copy.id = ids[f];
        copy.path = paths[f].string();
        copy.cached = true;
        copy.duration_ms = 0;
        record(f, std::move(copy));
      }
    }
  };

  const int workers = std::max(1, std::min<int>(jobs, static_cast<int>(leaders.size())));
  std::vector<std::thread> threads;
  for (int slot = 1; slot < workers; ++slot) threads.emplace_back(worker, slot);
  worker(0);
  for (auto& t : threads) t.join();
  if (fatal) std::rethrow_exception(fatal);
  return results;
}

}  // namespace grader
