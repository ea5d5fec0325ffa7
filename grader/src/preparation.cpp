// Preparing an exercise: its hash, the answer key from the reference solution and the
// mistake models, run once and kept in the cache.

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <mutex>
#include <set>
#include <sstream>

#include "files.hpp"
#include "grader/cache.hpp"
#include "grader/error.hpp"
#include "grader/grading.hpp"
#include "grader/harness.hpp"
#include "grader/hash.hpp"
#include "grader/submission.hpp"
#include "mistake_models.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// Generated cases drawn per wanted case: the reference's answers then pick those that qualify.
constexpr std::size_t kCandidatesPerCase = 3;
constexpr std::size_t kExtraCandidates = 8;

std::string join_args(const TaskSpec& task, const std::vector<Value>& args) {
  std::string text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) text += ", ";
    text += fmt::format("{}={}", task.params[i], format_value(args[i], 8));
  }
  return text;
}

// An answer the key can hold: every element finite, and of the declared kind and a regular
// shape (a matrix's rows of one length).
bool usable_answer(const std::optional<Value>& answer, const TaskSpec& task) {
  if (!answer) return false;
  for (double x : answer->elements) {
    if (!std::isfinite(x)) return false;
  }
  if (answer->is_scalar()) return is_scalar_type(task.returns);
  return answer->type == task.returns && answer->rectangular();
}

// The smallest magnitude among an answer's elements (0 for an empty vector).
double smallest_magnitude(const Value& answer) {
  if (answer.elements.empty()) return 0.0;
  double smallest = HUGE_VAL;
  for (double x : answer.elements) smallest = std::min(smallest, std::fabs(x));
  return smallest;
}

void hash_tree(Sha256& hash, const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(root, ec)) {
    files.push_back(root);
  } else {
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string content = detail::read_text(file).value_or("");
    hash.update(
        fmt::format("{}\n{}\n", file.lexically_relative(root).generic_string(), content.size()));
    hash.update(content);
  }
}

// What identifies the programs a toolchain's identity names: every absolute path in it that
// exists is resolved (g++ -> x86_64-linux-gnu-g++-12) and its real path, size and modification
// time hashed, so that upgrading the compiler or interpreter changes the exercise hash.
std::string toolchain_fingerprint(const std::string& identity) {
  std::string fingerprint = identity + "\n";
  std::istringstream tokens(identity);
  for (std::string token; tokens >> token;) {
    if (token.empty() || token.front() != '/') continue;
    std::error_code ec;
    const fs::path real = fs::canonical(token, ec);
    struct stat info {};
    if (ec || ::stat(real.c_str(), &info) != 0) continue;
    fingerprint += fmt::format("{} -> {} {} {}.{}\n", token, real.string(), info.st_size,
                               info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
  }
  return fingerprint;
}

}  // namespace

HarnessCase Grader::harness_case(const CaseSpec& c) const {
  const TaskSpec& task = spec_.tasks[c.task];
  return {c.task, task.id, c.visibility, c.args, task.returns};
}

std::vector<std::optional<Value>> Grader::run_model(const fs::path& source,
                                                    const std::string& label, int slot) {
  const Submission submission = discover_submission(source);
  if (!submission.problem.empty() || !submission.language) {
    throw SpecError(fmt::format("{}: {}", source.string(), submission.problem));
  }
  const fs::path dir = work_dir_ / fmt::format("model-{}", next_job_++);
  fs::create_directories(dir);
  BuildResult build = toolchain_for(*submission.language).build(submission, dir, slot);
  if (!build.ok) {
    throw SpecError(fmt::format("{}: the {} does not build:\n{}", source.string(), label,
                                detail::cap_text(build.diagnostics, 4096)));
  }
  RunnerResult run =
      run_cases(build.program, harness_cases_, sandbox_, run_limits(spec_.limits), dir, slot);
  if (!run.build_error.empty()) {
    throw SpecError(fmt::format("{}: the {} does not build:\n{}", source.string(), label,
                                detail::cap_text(run.build_error, 4096)));
  }
  if (!run.load_error.empty()) {
    throw SpecError(
        fmt::format("{}: the {} fails to load:\n{}", source.string(), label, run.load_error));
  }
  std::vector<std::optional<Value>> answers;
  for (const CaseRun& r : run.runs) {
    answers.push_back(r.kind == CaseRun::Kind::Value ? std::optional<Value>(r.value)
                                                     : std::nullopt);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return answers;
}

std::string Grader::compute_exercise_hash() const {
  Sha256 hash;
  hash.update(fmt::format("grader {}\n", grader_version()));
  // The grader's own build: a rebuilt grader may grade differently under the same version.
  std::error_code self_ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", self_ec);
  if (!self_ec) hash.update(toolchain_fingerprint(self.string()));
  hash_tree(hash, spec_.dir);
  hash_tree(hash, spec_.reference_dir);
  for (const auto& [language, files] : spec_.languages) {
    // The grader's harness of this language, as this exercise uses it.
    if (language == Language::Cpp) {
      hash.update(cpp_harness_source());
      hash.update(cpp_bindings(spec_));
    } else {
      hash.update(python_harness_source());
    }
    if (files.header) hash_tree(hash, *files.header);
    try {
      const std::unique_ptr<Toolchain> toolchain =
          language == Language::Cpp ? make_gxx_toolchain(spec_, sandbox_)
                                    : make_python_toolchain(spec_, options_.python);
      hash.update(toolchain_fingerprint(toolchain->identity()));
    } catch (const ToolchainError& e) {
      // A missing toolchain fails only the submissions that need it, later.
      hash.update(fmt::format("{} missing: {}\n", to_string(language), e.what()));
    }
  }
  // Last: the sandbox's description waits for its probe, which runs meanwhile.
  hash.update(fmt::format("sandbox {}\n", sandbox_.description()));
  return hash.hex_digest();
}

bool Grader::restore_prepared() {
  std::optional<PreparedExercise> prepared =
      options_.cache->load_prepared(exercise_hash_, detail::prepared_variant(options_.diagnose));
  if (!prepared && !options_.diagnose) {
    prepared = options_.cache->load_prepared(exercise_hash_, detail::prepared_variant(true));
  }
  if (!prepared) return false;
  // An entry that does not fit this exercise is treated as missing (and rewritten).
  for (const GradedCase& c : prepared->cases) {
    if (c.spec.task >= spec_.tasks.size() ||
        c.spec.args.size() != spec_.tasks[c.spec.task].params.size()) {
      return false;
    }
  }
  for (const auto& [relative, bytes] : prepared->files) {
    const fs::path file(relative);
    if (file.empty() || file.is_absolute()) return false;
    for (const fs::path& part : file) {
      if (part == "..") return false;
    }
  }
  for (const auto& [relative, bytes] : prepared->files) {
    detail::write_text(work_dir_ / relative, bytes);
    restored_files_.insert(relative);
  }
  std::vector<fs::path> files;
  if (options_.diagnose && !spec_.kit) {
    // The models not run yet are run from their files: the entry must name exactly those.
    files = list_mistake_files();
    if (files.size() != prepared->mistakes.size()) return false;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (files[i].stem().string() != prepared->mistakes[i].name) return false;
    }
  }
  cases_ = std::move(prepared->cases);
  mistakes_ = options_.diagnose ? std::move(prepared->mistakes) : std::vector<MistakeModel>{};
  stored_answers_sha256_ = options_.diagnose ? prepared->answers_sha256 : std::string();
  mistake_files_ = std::move(files);
  set_mistake_flags();
  harness_cases_.clear();
  for (const GradedCase& c : cases_) harness_cases_.push_back(harness_case(c.spec));
  return true;
}

void Grader::store_prepared() {
  if (!sandbox_.confirm()) return;  // the key was made with a wrong sandbox description
  load_stored_answers();            // else the models run before this process would be stored empty
  PreparedExercise prepared;
  prepared.cases = cases_;
  // The whole entry is written under the lock, so that two threads that ran different models
  // never store an older copy over a newer one.
  std::lock_guard<std::mutex> lock(mistakes_mutex_);
  prepared.mistakes = mistakes_;
  // The files of the toolchains this run made, and those restored for toolchains it did not
  // need (a Python-only grade keeps the C++ harness object in the entry).
  std::set<std::string> files = restored_files_;
  for (const auto& [language, toolchain] : toolchains_) {
    const fs::path dir = fmt::format("toolchain-{}", to_string(language));
    for (const fs::path& file : toolchain->prepared_files()) {
      files.insert((dir / file).generic_string());
    }
  }
  for (const std::string& file : files) {
    const std::optional<std::string> bytes = detail::read_text(work_dir_ / file);
    if (!bytes) return;  // incomplete: better no entry than one that fails later
    prepared.files[file] = *bytes;
  }
  options_.cache->store_prepared(exercise_hash_, detail::prepared_variant(options_.diagnose),
                                 prepared);
}

fs::path Grader::reference_file() const {
  for (const char* name : {"solution.cpp", "solution.py"}) {
    const fs::path file = spec_.reference_dir / name;
    std::error_code ec;
    if (fs::exists(file, ec)) return file;
  }
  throw SpecError(fmt::format("{}: no reference solution (solution.cpp or solution.py)",
                              spec_.reference_dir.string()));
}

void Grader::prepare() {
  fs::create_directories(work_dir_);
  exercise_hash_ = compute_exercise_hash();
  if (options_.cache != nullptr && restore_prepared()) {
    key_ready_ = true;
    return;
  }

  const fs::path reference = spec_.kit ? spec_.spec_file : reference_file();

  // The answer key: explicit cases plus candidates for the generated ones, all in one run.
  struct Slot {
    CaseSpec spec;
    bool candidate;
  };
  std::vector<Slot> slots;
  for (std::size_t t = 0; t < spec_.tasks.size(); ++t) {
    const TaskSpec& task = spec_.tasks[t];
    for (const CaseSpec& c : task.cases) slots.push_back({c, false});
    if (task.generation) {
      const auto wanted = static_cast<std::size_t>(task.generation->count);
      auto candidates = draw_candidates(spec_, t, wanted * kCandidatesPerCase + kExtraCandidates);
      for (auto& args : candidates) {
        CaseSpec c;
        c.task = t;
        c.visibility = task.generation->visibility;
        for (std::size_t p = 0; p < args.size(); ++p) {
          c.args.push_back(task.param_type(p) == ValueType::Number
                               ? Value(args[p])
                               : Value::scalar(task.param_type(p), args[p]));
        }
        slots.push_back({std::move(c), true});
      }
    }
  }
  harness_cases_.clear();
  for (const Slot& s : slots) harness_cases_.push_back(harness_case(s.spec));
  std::vector<std::optional<Value>> answers;
  if (spec_.kit) {
    // A student kit carries the answers of its (visible) cases; it has no reference.
    for (const Slot& s : slots) answers.push_back(s.spec.expected);
  } else {
    // A batch that will diagnose: the program of all mistake models is built on the spare
    // slot while the reference builds and runs (both need the harness, compiled first).
    if (!expected_.empty() && options_.diagnose && options_.jobs >= 2 &&
        spec_.languages.count(Language::Cpp) != 0) {
      toolchain_for(Language::Cpp);
      combined_build_ = std::async(std::launch::async, [this] {
        try {
          build_combined_models(1);
        } catch (const std::exception&) {
          // Tried again, or each model built on its own, when a task first fails.
        }
      });
    }
    answers = run_model(reference, "reference solution", 0);
  }

  std::vector<std::size_t> generated_taken(spec_.tasks.size(), 0);
  std::vector<std::vector<GradedCase>> per_task(spec_.tasks.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const Slot& s = slots[i];
    const TaskSpec& task = spec_.tasks[s.spec.task];
    const std::optional<Value>& answer = answers[i];
    if (!s.candidate) {
      if (!usable_answer(answer, task)) {
        throw SpecError(
            fmt::format("{}: the reference gives no finite answer for case {} ({}){}",
                        reference.string(), s.spec.id, join_args(task, s.spec.args),
                        answer ? fmt::format(": it gave {} where the task returns a {}",
                                             format_value(*answer, 8), to_string(task.returns))
                               : std::string()));
      }
      per_task[s.spec.task].push_back({s.spec, *answer});
      continue;
    }
    const Generation& g = *task.generation;
    if (generated_taken[s.spec.task] >= static_cast<std::size_t>(g.count)) continue;
    if (!usable_answer(answer, task) || smallest_magnitude(*answer) < g.min_abs_expected) continue;
    GradedCase graded{s.spec, *answer};
    graded.spec.id =
        fmt::format("{}/{}-{}", task.id, to_string(g.visibility), ++generated_taken[s.spec.task]);
    per_task[s.spec.task].push_back(std::move(graded));
  }
  cases_.clear();
  for (std::size_t t = 0; t < spec_.tasks.size(); ++t) {
    const TaskSpec& task = spec_.tasks[t];
    if (task.generation && generated_taken[t] < static_cast<std::size_t>(task.generation->count)) {
      throw SpecError(fmt::format(
          "{}: /tasks/{}/generated: only {} of {} cases satisfy min_abs_expected = {}; widen the "
          "ranges or lower the bound",
          spec_.spec_file.string(), t, generated_taken[t], task.generation->count,
          task.generation->min_abs_expected));
    }
    // Visible cases first within a task, each group in spec order.
    std::stable_partition(per_task[t].begin(), per_task[t].end(), [](const GradedCase& c) {
      return c.spec.visibility == Visibility::Visible;
    });
    for (auto& c : per_task[t]) cases_.push_back(std::move(c));
  }
  harness_cases_.clear();
  for (const GradedCase& c : cases_) harness_cases_.push_back(harness_case(c.spec));

  // The mistake catalogue: read now, each model built and run when a task it is about first
  // fails (ensure_mistakes), so that an exercise is ready as soon as its answer key is.
  mistakes_.clear();
  mistake_files_.clear();
  const fs::path mistakes_dir = spec_.reference_dir / "mistakes";
  std::error_code ec;
  if (options_.diagnose && spec_.kit) {
    // A kit carries the mistakes' answers on its cases, not their sources.
    for (const KitMistake& kit_mistake : spec_.kit_mistakes) {
      MistakeModel model{kit_mistake.name, kit_mistake.tasks, kit_mistake.hint, {}};
      for (const GradedCase& c : cases_) {
        const auto it = kit_mistake.answers.find(c.spec.id);
        model.answers.push_back(it == kit_mistake.answers.end() ? std::nullopt
                                                                : std::optional<Value>(it->second));
      }
      mistakes_.push_back(std::move(model));
    }
  } else if (options_.diagnose && fs::is_directory(mistakes_dir, ec)) {
    const std::vector<fs::path> files = list_mistake_files();
    std::vector<MistakeModel> models;
    for (const fs::path& file : files) {
      MistakeModel model = detail::read_mistake_header(file);
      for (const auto& task : model.tasks) {
        const bool known = std::any_of(spec_.tasks.begin(), spec_.tasks.end(),
                                       [&](const TaskSpec& t) { return t.id == task; });
        if (!known) {
          throw SpecError(
              fmt::format("{}: unknown task \"{}\" in the \"task:\" line", file.string(), task));
        }
      }
      model.ready = false;
      models.push_back(std::move(model));
    }
    mistakes_ = std::move(models);
    mistake_files_ = files;
  }
  set_mistake_flags();
  key_ready_ = true;
  if (options_.cache != nullptr) store_prepared();
}

}  // namespace grader
