// The commands about an exercise and the machine rather than a submission: doctor, init,
// cases, kit, check-exercise, harness, explain, cache clear.

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "app_common.hpp"
#include "files.hpp"
#include "grader/app.hpp"
#include "grader/cache.hpp"
#include "grader/exercise.hpp"
#include "grader/exercise_check.hpp"
#include "grader/grading.hpp"
#include "grader/harness.hpp"
#include "grader/kit.hpp"
#include "grader/sandbox.hpp"
#include "value_json.hpp"

namespace grader {

namespace fs = std::filesystem;
using detail::default_jobs;
using detail::exercises_root;
using detail::launcher_path;
using detail::open_cache;

ExitCode run_doctor(const AppOptions& options, std::ostream& out) {
  const std::string text = probe_sandbox(launcher_path(options));
  out << text;
  // grader serve and grader token run the web service's own executable.
  const fs::path server = options.executable.parent_path() / "grader-server";
  out << (::access(server.c_str(), X_OK) == 0
              ? fmt::format("web service: {} (grader serve, grader token)\n", server.string())
              : fmt::format("web service: {} is missing: grader serve and grader token cannot "
                            "run (build the grader-server target)\n",
                            server.string()));
  // Where runs work: in memory when /dev/shm has room (files.hpp), which a container's
  // default /dev/shm does not.
  const fs::path base = detail::temp_base();
  const char* tmpdir = std::getenv("TMPDIR");
  out << fmt::format("work folders: {} ({})\n", base.string(),
                     tmpdir != nullptr && *tmpdir != '\0' ? "from TMPDIR"
                     : base == "/dev/shm"                 ? "a memory file system with 2 GiB free"
                                          : "/dev/shm is missing, not a tmpfs or short of 2 GiB");
  // --strict: for an init step or a health check, only a machine that can sandbox passes.
  const bool safe = text.find("\nverdict: SAFE") != std::string::npos;
  return options.doctor_strict && !safe ? ExitCode::SpecOrToolchain : ExitCode::Ok;
}

ExitCode run_init(const AppOptions& options, std::ostream& out) {
  const ExerciseSpec spec = find_exercise(exercises_root(options), options.exercise);
  const Language language = *parse_language(options.init_language);
  auto it = spec.languages.find(language);
  if (it == spec.languages.end() || !it->second.starter) {
    throw SpecError(fmt::format("{}: exercise \"{}\" has no {} starter file",
                                spec.spec_file.string(), spec.id, options.init_language));
  }
  std::error_code ec;
  if (fs::exists(options.init_dir, ec) && !fs::is_empty(options.init_dir, ec)) {
    throw UsageError(fmt::format("\"{}\" exists and is not empty; choose a new folder",
                                 options.init_dir.string()));
  }
  fs::create_directories(options.init_dir, ec);
  if (ec) {
    throw UsageError(
        fmt::format("cannot create \"{}\": {}", options.init_dir.string(), ec.message()));
  }
  std::vector<fs::path> written;
  const fs::path starter = *it->second.starter;
  const fs::path target =
      options.init_dir / (language == Language::Python ? fs::path("main.py") : starter.filename());
  detail::copy_into(starter, target);
  written.push_back(target);
  if (language == Language::Cpp && it->second.header) {
    const fs::path header = options.init_dir / it->second.header->filename();
    detail::copy_into(*it->second.header, header);
    written.push_back(header);
  }
  for (const auto& file : written) out << "wrote " << file.string() << "\n";
  std::vector<std::string> names;
  for (const TaskSpec& task : spec.tasks) names.push_back(task.id);
  out << fmt::format("fill in the {} function{} ({}), then run: grader grade {}{}\n", names.size(),
                     names.size() == 1 ? "" : "s", fmt::join(names, ", "),
                     options.init_dir.string(),
                     options.exercise.empty() ? "" : " --exercise " + options.exercise);
  return ExitCode::Ok;
}

ExitCode run_list_cases(const AppOptions& options, std::ostream& out, std::ostream& err) {
  const ExerciseSpec spec = find_exercise(exercises_root(options), options.exercise);
  auto sandbox = make_box_sandbox(launcher_path(options),
                                  options.unsafe_no_sandbox ? Isolation::None : Isolation::Full);
  if (options.unsafe_no_sandbox) err << "grader: warning: --unsafe-no-sandbox\n";
  detail::TempDir work("grader-");
  // The expected values are those of the prepared exercise, so a cached one (from any earlier
  // grade or cases) answers at once instead of running the reference again.
  const std::unique_ptr<Cache> cache = open_cache(options, err);
  Grader grader(spec, *sandbox, work.path(), GraderOptions{options.python, false, cache.get()});
  grader.prepare();
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const GradedCase& c : grader.cases()) {
    const TaskSpec& task = spec.tasks[c.spec.task];
    nlohmann::ordered_json entry = {
        {"id", c.spec.id}, {"task", task.id}, {"visibility", to_string(c.spec.visibility)}};
    if (c.spec.visibility == Visibility::Visible || options.show_hidden) {
      nlohmann::ordered_json inputs = nlohmann::ordered_json::object();
      for (std::size_t i = 0; i < task.params.size(); ++i) {
        inputs[task.params[i]] = detail::value_json<nlohmann::ordered_json>(c.spec.args[i]);
      }
      entry["inputs"] = inputs;
      entry["expected"] = detail::value_json<nlohmann::ordered_json>(c.expected);
    }
    cases.push_back(entry);
  }
  nlohmann::ordered_json root = {{"exercise", spec.id}, {"cases", cases}};
  out << root.dump(2) << "\n";
  return ExitCode::Ok;
}

ExitCode run_kit(const AppOptions& options, std::ostream& out, std::ostream& err) {
  const fs::path root = exercises_root(options);
  std::vector<std::string> ids =
      options.exercise.empty() ? list_exercises(root) : std::vector<std::string>{options.exercise};
  if (ids.empty()) {
    throw SpecError(
        fmt::format("{}: no exercise found (a folder with an exercise.json)", root.string()));
  }
  auto sandbox = make_box_sandbox(launcher_path(options),
                                  options.unsafe_no_sandbox ? Isolation::None : Isolation::Full);
  if (options.unsafe_no_sandbox) err << "grader: warning: --unsafe-no-sandbox\n";
  const std::unique_ptr<Cache> cache = open_cache(options, err);
  try {
    for (const std::string& id : ids) {
      const ExerciseSpec spec = find_exercise(root, id);
      detail::TempDir work("grader-");
      // The expected values of the visible cases are the prepared exercise's, as in a grade.
      Grader grader(spec, *sandbox, work.path(),
                    GraderOptions{options.python, true, cache.get(), default_jobs()});
      grader.prepare();
      grader.prepare_mistakes();
      const std::vector<fs::path> written = write_kit(grader, options.kit_dir);
      std::size_t visible = 0;
      for (const GradedCase& c : grader.cases()) {
        visible += c.spec.visibility == Visibility::Visible ? 1 : 0;
      }
      out << fmt::format(
          "wrote {} ({} files; {} visible cases with their expected values; the "
          "{} other cases, the reference and the mistakes stay private)\n",
          (options.kit_dir / spec.id).string(), written.size(), visible,
          grader.cases().size() - visible);
    }
    const std::optional<std::string> course_default = default_exercise(root);
    if (course_default && std::find(ids.begin(), ids.end(), *course_default) != ids.end()) {
      detail::write_text(
          options.kit_dir / "course.json",
          nlohmann::ordered_json{{"default_exercise", *course_default}}.dump() + "\n");
    }
  } catch (const std::system_error& e) {
    throw ReportError(
        fmt::format("cannot write the kit into {}: {}", options.kit_dir.string(), e.what()));
  }
  out << fmt::format(
      "students grade their work on the visible cases with: grader grade PATH "
      "--exercises {}\n",
      options.kit_dir.string());
  return ExitCode::Ok;
}

ExitCode run_check_exercise(const AppOptions& options, std::ostream& out) {
  const ExerciseSpec spec = find_exercise(exercises_root(options), options.exercise);
  std::size_t cases = 0;
  for (const TaskSpec& task : spec.tasks) {
    cases += task.cases.size() + (task.generation ? task.generation->count : 0);
  }
  std::vector<CheckFinding> findings = {
      {true, fmt::format("{}: a valid spec: {} task(s), {} case(s) with the generated ones",
                         spec.spec_file.string(), spec.tasks.size(), cases)}};
  auto sandbox = make_box_sandbox(launcher_path(options),
                                  options.unsafe_no_sandbox ? Isolation::None : Isolation::Full);
  detail::TempDir work("grader-check-");
  // No cache: every answer is computed now, by the files as they are.
  Grader grader(spec, *sandbox, work.path(), GraderOptions{options.python, true, nullptr, 2});
  try {
    grader.prepare();
    grader.prepare_mistakes();
    const std::vector<CheckFinding> more = check_prepared_exercise(grader);
    findings.insert(findings.end(), more.begin(), more.end());
  } catch (const SpecError& e) {
    findings.push_back({false, e.what()});
  }
  std::size_t failed = 0;
  for (const CheckFinding& f : findings) {
    out << (f.ok ? "ok    " : "FAIL  ") << f.text << "\n";
    failed += f.ok ? 0 : 1;
  }
  out << fmt::format("exercise {}: {} check(s), {} failed\n", spec.id, findings.size(), failed);
  return failed == 0 ? ExitCode::Ok : ExitCode::SpecOrToolchain;
}

ExitCode run_write_harness(const AppOptions& options, std::ostream& out) {
  const ExerciseSpec spec = find_exercise(exercises_root(options), options.exercise);
  if (options.harness_dir.empty()) throw UsageError("harness needs --output DIR");
  const std::vector<std::pair<fs::path, std::string>> files = {
      {options.harness_dir / "harness.cpp", std::string(cpp_harness_source())},
      {options.harness_dir / "bindings.inc", cpp_bindings(spec)},
      {options.harness_dir / "harness.py", std::string(python_harness_source())},
      {options.harness_dir / "launch.py", std::string(python_launcher_source())},
      {options.harness_dir / "compile_harness.py", std::string(python_harness_compiler_source())}};
  for (const auto& [path, text] : files) {
    detail::write_text(path, text);
    out << "wrote " << path.string() << "\n";
  }
  return ExitCode::Ok;
}

ExitCode run_explain(const AppOptions& options, std::ostream& out) {
  const ExerciseSpec spec = find_exercise(exercises_root(options), options.exercise);
  if (spec.statement) {
    out << detail::read_text(*spec.statement).value_or("");
    return ExitCode::Ok;
  }
  out << spec.title << "\n\n";
  for (const TaskSpec& task : spec.tasks) {
    out << fmt::format("- {}: {}  ({} points)\n", task.title, task.signature, task.points);
  }
  return ExitCode::Ok;
}

ExitCode run_cache_clear(const AppOptions& options, std::ostream& out) {
  const fs::path dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  if (dir.empty()) {
    throw UsageError("no cache folder: give --cache-dir DIR, or set XDG_CACHE_HOME or HOME");
  }
  const std::size_t removed = Cache(dir).clear();
  out << fmt::format("removed {} cached file{} from {}\n", removed, removed == 1 ? "" : "s",
                     dir.string());
  return ExitCode::Ok;
}

}  // namespace grader
