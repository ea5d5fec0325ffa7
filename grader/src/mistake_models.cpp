// The mistake models: read from their files, each built and run once, when a task it is about
// first fails (or all at once for check-exercise, kit and serve).

#include "mistake_models.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "files.hpp"
#include "grader/error.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// Runs `work(i)` for i in 0..count-1 on up to `jobs` threads; thread t passes slot t. Rethrows
// the first exception after every thread stopped.
template <typename Work>
void run_in_slots(std::size_t count, int jobs, const Work& work) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::exception_ptr failure;
  const auto worker = [&](int slot) {
    while (!stop) {
      const std::size_t i = next++;
      if (i >= count) return;
      try {
        work(i, slot);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
    }
  };
  const int threads_wanted = std::max(1, std::min<int>(jobs, static_cast<int>(count)));
  std::vector<std::thread> threads;
  for (int slot = 1; slot < threads_wanted; ++slot) threads.emplace_back(worker, slot);
  worker(0);
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

namespace detail {

MistakeModel read_mistake_header(const fs::path& file) {
  MistakeModel model;
  model.name = file.stem().string();
  const std::string text = detail::read_text(file).value_or("");
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    const auto strip_prefix = [&](const std::string& prefix, std::string& into) {
      if (line.rfind(prefix, 0) != 0) return false;
      into = line.substr(prefix.size());
      while (!into.empty() && (into.back() == ' ' || into.back() == '\r')) into.pop_back();
      return true;
    };
    std::string value;
    if (strip_prefix("// mistake: ", value) || strip_prefix("# mistake: ", value)) {
      if (value != model.name) {
        throw SpecError(
            fmt::format("{}: the \"mistake:\" line says \"{}\" but the file is named "
                        "\"{}\"",
                        file.string(), value, model.name));
      }
    } else if (strip_prefix("// task: ", value) || strip_prefix("# task: ", value)) {
      for (std::size_t at = 0; at < value.size();) {
        std::size_t next = value.find(' ', at);
        if (next == std::string::npos) next = value.size();
        if (next > at) model.tasks.push_back(value.substr(at, next - at));
        at = next + 1;
      }
    } else if (strip_prefix("// hint: ", value) || strip_prefix("# hint: ", value)) {
      model.hint = value;
    }
  }
  if (model.tasks.empty() || model.hint.empty()) {
    throw SpecError(
        fmt::format("{}: a mistake file needs a \"// task: TASK...\" and a "
                    "\"// hint: TEXT\" line",
                    file.string()));
  }
  return model;
}

}  // namespace detail

std::vector<fs::path> Grader::list_mistake_files() const {
  std::vector<fs::path> files;
  std::error_code ec;
  const fs::path dir = spec_.reference_dir / "mistakes";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".cpp" || ext == ".py")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void Grader::set_mistake_flags() {
  mistake_once_ = std::make_unique<std::once_flag[]>(mistakes_.size());
  mistake_ready_ = std::make_unique<std::atomic<bool>[]>(mistakes_.size());
  mistake_taken_ = std::make_unique<std::atomic<bool>[]>(mistakes_.size());
  for (std::size_t i = 0; i < mistakes_.size(); ++i) {
    mistake_ready_[i] = mistakes_[i].ready;
    mistake_taken_[i] = mistakes_[i].ready;
  }
}

bool Grader::run_mistake_once(std::size_t i, int slot) {
  if (mistake_ready_[i].load(std::memory_order_acquire)) return false;
  bool ran = false;
  std::call_once(mistake_once_[i], [&] {
    std::vector<std::optional<Value>> answers =
        run_model(mistake_files_.at(i), "mistake model", slot);
    {
      std::lock_guard<std::mutex> lock(mistakes_mutex_);
      mistakes_[i].answers = std::move(answers);
      mistakes_[i].ready = true;
    }
    mistake_ready_[i].store(true, std::memory_order_release);
    ran = true;
  });
  return ran;
}

void Grader::ensure_mistakes(const std::string& task_id, int slot) {
  bool ran = false;
  // Models no other worker has taken first, so that two workers failing the same task share
  // its models instead of one waiting for each model the other runs; then the taken ones are
  // waited for (call_once runs each exactly once either way).
  std::vector<std::size_t> taken_by_others;
  for (std::size_t i = 0; i < mistakes_.size(); ++i) {
    const std::vector<std::string>& tasks = mistakes_[i].tasks;
    if (std::find(tasks.begin(), tasks.end(), task_id) == tasks.end()) continue;
    if (mistake_taken_[i].exchange(true)) {
      taken_by_others.push_back(i);
      continue;
    }
    ran = run_mistake_once(i, slot) || ran;
  }
  for (const std::size_t i : taken_by_others) ran = run_mistake_once(i, slot) || ran;
  if (ran && options_.cache != nullptr) store_prepared();
}

void Grader::prepare_mistakes() {
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < mistakes_.size(); ++i) {
    if (!mistake_ready_[i].load(std::memory_order_acquire)) pending.push_back(i);
  }
  if (pending.empty()) return;
  run_in_slots(pending.size(), options_.jobs,
               [&](std::size_t k, int slot) { run_mistake_once(pending[k], slot); });
  if (options_.cache != nullptr) store_prepared();
}
}  // namespace grader
