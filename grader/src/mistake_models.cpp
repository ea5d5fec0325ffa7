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
#include "grader/cache.hpp"
#include "grader/error.hpp"
#include "grader/harness.hpp"
#include "grader/runner.hpp"
#include "grader/submission.hpp"

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

void Grader::build_combined_models(int slot) {
  std::call_once(combined_once_, [&] {
    // Every C++ model, run or not: this may run before prepare() has read the catalogue (a
    // batch builds it beside the reference), and the files list in the catalogue's order.
    const std::vector<fs::path> files = spec_.kit ? std::vector<fs::path>{} : list_mistake_files();
    combined_number_.assign(files.size(), -1);
    if (spec_.languages.count(Language::Cpp) == 0) return;
    std::vector<ModelSource> sources;
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (files[i].extension() != ".cpp") continue;
      const std::optional<std::string> text = detail::read_text(files[i]);
      if (!text) continue;
      sources.push_back({files[i].filename().string(), *text});
      members.push_back(i);
    }
    if (members.size() < 2) return;  // one model gains nothing
    std::string why;
    const std::optional<CombinedModels> combined = combined_models(spec_, sources, why);
    if (!combined) return;
    const fs::path dir = work_dir_ / "models-combined";
    Submission submission;
    submission.id = "mistake-models";
    submission.root = dir / "src";
    submission.language = Language::Cpp;
    submission.files = {"grader_models.cpp", "grader_dispatch.cpp"};
    submission.sources = submission.files;
    detail::write_text(submission.root / "grader_models.cpp", combined->models_source);
    detail::write_text(submission.root / "grader_dispatch.cpp", combined->dispatch_source);
    const BuildResult build = toolchain_for(Language::Cpp).build(submission, dir / "build", slot);
    if (!build.ok) return;
    combined_program_ = build.program;
    for (std::size_t k = 0; k < members.size(); ++k) {
      combined_number_[members[k]] = static_cast<int>(k);
    }
  });
}

std::optional<std::vector<std::optional<Value>>> Grader::run_combined_model(std::size_t i,
                                                                            int slot) {
  build_combined_models(slot);
  if (!combined_program_ || i >= combined_number_.size() || combined_number_[i] < 0) {
    return std::nullopt;
  }
  // A folder of its own per run: the runner writes the cases file beside the program.
  const fs::path dir = work_dir_ / fmt::format("model-{}", next_job_++);
  Program program = *combined_program_;
  program.files_dir = dir / "program";
  const fs::path executable = fs::path(program.argv.front()).lexically_normal();
  detail::copy_into(combined_program_->files_dir / executable, program.files_dir / executable);
  fs::permissions(program.files_dir / executable,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec);
  program.env = {fmt::format("GRADER_MODEL={}", combined_number_[i])};
  const RunnerResult run =
      run_cases(program, harness_cases_, sandbox_, run_limits(spec_.limits), dir, slot);
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!run.build_error.empty() || !run.load_error.empty()) return std::nullopt;
  std::vector<std::optional<Value>> answers;
  for (const CaseRun& r : run.runs) {
    answers.push_back(r.kind == CaseRun::Kind::Value ? std::optional<Value>(r.value)
                                                     : std::nullopt);
  }
  return answers;
}

bool Grader::run_mistake_once(std::size_t i, int slot) {
  if (mistake_ready_[i].load(std::memory_order_acquire)) return false;
  bool ran = false;
  std::call_once(mistake_once_[i], [&] {
    // From the program of all models when it could be built, else from the model's own.
    std::optional<std::vector<std::optional<Value>>> combined = run_combined_model(i, slot);
    std::vector<std::optional<Value>> answers =
        combined ? std::move(*combined) : run_model(mistake_files_.at(i), "mistake model", slot);
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

void Grader::load_stored_answers() {
  std::call_once(stored_answers_once_, [&] {
    if (stored_answers_sha256_.empty() || options_.cache == nullptr) return;
    std::optional<std::vector<std::vector<std::optional<Value>>>> stored =
        options_.cache->load_answers(exercise_hash_, detail::prepared_variant(options_.diagnose),
                                     stored_answers_sha256_, mistakes_.size());
    std::lock_guard<std::mutex> lock(mistakes_mutex_);
    for (std::size_t i = 0; i < mistakes_.size(); ++i) {
      if (!mistakes_[i].ready || !mistakes_[i].answers.empty()) continue;
      if (stored && (*stored)[i].size() == cases_.size()) {
        mistakes_[i].answers = std::move((*stored)[i]);
      } else {
        // Not there any more: the model runs again when a task it is about fails.
        mistakes_[i].ready = false;
        mistake_ready_[i].store(false, std::memory_order_release);
        mistake_taken_[i].store(false);
      }
    }
  });
}

void Grader::ensure_mistakes(const std::string& task_id, int slot) {
  load_stored_answers();
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
  load_stored_answers();
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
