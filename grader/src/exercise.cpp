#include "grader/exercise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "grader/error.hpp"
#include "spec_reader.hpp"
#include "value_json.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using detail::read_task;
using detail::read_type;
using detail::show;
using detail::SpecReader;

ExerciseLimits read_limits(const SpecReader& r, const json& value, const std::string& where) {
  r.object(value, where);
  r.only_keys(value, where,
              {"compile_time_ms", "compile_memory_mib", "cpu_time_ms", "wall_time_ms", "memory_mib",
               "output_limit_kib", "max_processes", "file_size_kib", "box_size_mib", "open_files"});
  ExerciseLimits limits;
  const std::pair<const char*, std::int64_t*> fields[] = {
      {"compile_time_ms", &limits.compile_time_ms},
      {"compile_memory_mib", &limits.compile_memory_mib},
      {"cpu_time_ms", &limits.cpu_time_ms},
      {"wall_time_ms", &limits.wall_time_ms},
      {"memory_mib", &limits.memory_mib},
      {"output_limit_kib", &limits.output_limit_kib},
      {"max_processes", &limits.max_processes},
      {"file_size_kib", &limits.file_size_kib},
      {"box_size_mib", &limits.box_size_mib},
      {"open_files", &limits.open_files},
  };
  for (const auto& [key, target] : fields) {
    if (value.contains(key)) *target = r.positive_integer(value[key], where + "/" + key);
  }
  if (limits.wall_time_ms < limits.cpu_time_ms) {
    r.fail(where + "/wall_time_ms",
           fmt::format("wall_time_ms ({}) must be at least cpu_time_ms ({})", limits.wall_time_ms,
                       limits.cpu_time_ms));
  }
  return limits;
}

std::map<Language, LanguageSpec> read_languages(const SpecReader& r, const json& value,
                                                const std::string& where, const fs::path& dir) {
  r.object(value, where);
  std::map<Language, LanguageSpec> languages;
  for (const auto& [key, entry] : value.items()) {
    const std::string l_where = where + "/" + key;
    auto language = parse_language(key);
    if (!language) r.fail(l_where, fmt::format("unknown language \"{}\" (cpp, python)", key));
    r.object(entry, l_where);
    if (entry.contains("harness")) {
      r.fail(l_where + "/harness",
             "an exercise carries no harness: the grader's own (grader/harness/) calls the "
             "functions the task signatures name; remove this key and the harness files");
    }
    r.only_keys(entry, l_where, {"header", "starter", "interpreter", "modules"});
    LanguageSpec spec;
    if (entry.contains("header"))
      spec.header = r.exercise_file(entry["header"], l_where + "/header", dir);
    if (entry.contains("starter"))
      spec.starter = r.exercise_file(entry["starter"], l_where + "/starter", dir);
    if (entry.contains("interpreter")) {
      spec.interpreter = r.string(entry["interpreter"], l_where + "/interpreter");
    }
    if (entry.contains("modules")) {
      const std::string m_where = l_where + "/modules";
      if (*language != Language::Python) r.fail(m_where, "modules are for Python only");
      const json& list = r.array(entry["modules"], m_where);
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where_i = fmt::format("{}/{}", m_where, i);
        const std::string module = r.string(list[i], where_i);
        const bool identifier =
            !module.empty() &&
            (std::isalpha(static_cast<unsigned char>(module[0])) != 0 || module[0] == '_') &&
            std::all_of(module.begin(), module.end(), [](char ch) {
              return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_';
            });
        if (!identifier) {
          r.fail(where_i, fmt::format("expected a top-level module name, got \"{}\"", module));
        }
        spec.modules.push_back(module);
      }
    }
    languages.emplace(*language, std::move(spec));
  }
  if (languages.empty()) r.fail(where, "an exercise needs at least one language");
  return languages;
}

// A kit's mistakes: name, tasks, hint, and answers keyed by the id of a case of one of its tasks.
std::vector<KitMistake> read_kit_mistakes(const SpecReader& r, const json& value,
                                          const ExerciseSpec& spec) {
  std::vector<KitMistake> mistakes;
  const json& list = r.array(value, "/mistakes");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("/mistakes/{}", i);
    const json& entry = r.object(list[i], where);
    r.only_keys(entry, where, {"name", "tasks", "hint", "answers"});
    KitMistake m;
    m.name = r.name(r.require(entry, where, "name"), where + "/name");
    m.hint = r.string(r.require(entry, where, "hint"), where + "/hint");
    const json& tasks = r.array(r.require(entry, where, "tasks"), where + "/tasks");
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      m.tasks.push_back(r.identifier(tasks[t], fmt::format("{}/tasks/{}", where, t)));
    }
    const json& answers = r.object(r.require(entry, where, "answers"), where + "/answers");
    for (const auto& [id, answer] : answers.items()) {
      const std::string a_where = where + "/answers/" + id;
      const TaskSpec* task = nullptr;
      for (const TaskSpec& t : spec.tasks) {
        if (id.rfind(t.id + "/", 0) == 0) task = &t;
      }
      if (task == nullptr) r.fail(a_where, fmt::format("no case \"{}\" in this exercise", id));
      // A mistake may answer with another shape than the task's (that is often the mistake).
      std::optional<Value> parsed = detail::value_from_json(answer, task->returns);
      if (!parsed) r.fail(a_where, fmt::format("expected a value, got {}", show(answer)));
      m.answers.emplace(id, std::move(*parsed));
    }
    mistakes.push_back(std::move(m));
  }
  return mistakes;
}

// A student kit holds the visible cases with their answers and nothing else to grade by.
void check_kit(const SpecReader& r, const ExerciseSpec& spec) {
  for (std::size_t t = 0; t < spec.tasks.size(); ++t) {
    const TaskSpec& task = spec.tasks[t];
    if (task.generation) {
      r.fail(fmt::format("/tasks/{}/generated", t), "a student kit has no generated cases");
    }
    for (std::size_t i = 0; i < task.cases.size(); ++i) {
      const CaseSpec& c = task.cases[i];
      if (c.visibility != Visibility::Visible) {
        r.fail(fmt::format("/tasks/{}/cases/{}/visibility", t, i),
               "a student kit has visible cases only");
      }
      if (!c.expected) {
        r.fail(fmt::format("/tasks/{}/cases/{}", t, i),
               "a case of a student kit needs its \"expected\" value");
      }
    }
  }
}

// The JSON document in `file`; std::nullopt when it cannot be opened.
// \throws SpecError naming the file when it is not JSON.
std::optional<json> read_json_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return json::parse(buffer.str());
  } catch (const json::parse_error& e) {
    throw SpecError(fmt::format("{}: malformed JSON: {}", file.string(), e.what()));
  }
}

}  // namespace

ExerciseSpec load_exercise(const fs::path& dir) {
  ExerciseSpec spec;
  spec.dir = dir;
  spec.spec_file = dir / "exercise.json";
  SpecReader r(spec.spec_file);
  std::optional<json> parsed = read_json_file(spec.spec_file);
  if (!parsed) {
    throw SpecError(fmt::format("{}: cannot open the exercise spec", spec.spec_file.string()));
  }
  const json& root = *parsed;
  r.object(root, "");
  r.only_keys(root, "",
              {"schema_version", "id", "title", "statement", "seed", "languages", "limits", "tasks",
               "scope", "mistakes"});
  const json& version = r.require(root, "", "schema_version");
  if (version != 1) r.fail("/schema_version", fmt::format("expected 1, got {}", show(version)));
  spec.id = r.name(r.require(root, "", "id"), "/id");
  if (spec.id != dir.filename().string()) {
    r.fail("/id", fmt::format("\"{}\" does not match the folder name \"{}\"", spec.id,
                              dir.filename().string()));
  }
  spec.title = root.contains("title") ? r.string(root["title"], "/title") : spec.id;
  if (root.contains("statement"))
    spec.statement = r.exercise_file(root["statement"], "/statement", dir);
  if (root.contains("seed")) {
    const json& seed = root["seed"];
    if (!seed.is_number_unsigned())
      r.fail("/seed", fmt::format("expected an integer >= 0, got {}", show(seed)));
    spec.seed = seed.get<std::uint64_t>();
  }
  spec.languages = read_languages(r, r.require(root, "", "languages"), "/languages", dir);
  if (root.contains("limits")) spec.limits = read_limits(r, root["limits"], "/limits");

  const json& tasks = r.array(r.require(root, "", "tasks"), "/tasks");
  if (tasks.empty()) r.fail("/tasks", "an exercise needs at least one task");
  std::set<std::string> case_ids;
  std::set<std::string> task_ids;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    TaskSpec task = read_task(r, tasks[i], fmt::format("/tasks/{}", i), i, case_ids);
    if (!task_ids.insert(task.id).second) {
      r.fail(fmt::format("/tasks/{}/id", i), fmt::format("duplicate task id \"{}\"", task.id));
    }
    spec.tasks.push_back(std::move(task));
  }
  spec.reference_dir = (dir.parent_path().parent_path() / "reference" / spec.id).lexically_normal();
  if (root.contains("scope")) {
    const std::string scope = r.string(root["scope"], "/scope");
    if (scope != "visible" && scope != "full") {
      r.fail("/scope",
             fmt::format("expected \"visible\" (a student kit) or \"full\", got \"{}\"", scope));
    }
    spec.kit = scope == "visible";
  }
  if (root.contains("mistakes")) {
    if (!spec.kit) {
      r.fail("/mistakes",
             "the mistake models of an exercise live in reference/ID/mistakes; only a "
             "student kit (\"scope\": \"visible\") carries their answers");
    }
    spec.kit_mistakes = read_kit_mistakes(r, root["mistakes"], spec);
  }
  if (spec.kit) {
    check_kit(r, spec);
  } else {
    for (std::size_t t = 0; t < spec.tasks.size(); ++t) {
      for (std::size_t i = 0; i < spec.tasks[t].cases.size(); ++i) {
        if (spec.tasks[t].cases[i].expected) {
          r.fail(fmt::format("/tasks/{}/cases/{}/expected", t, i),
                 "expected values come from the reference solution; only a student kit "
                 "(\"scope\": \"visible\") carries them");
        }
      }
    }
  }
  return spec;
}

std::vector<std::string> list_exercises(const fs::path& exercises_root) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (fs::directory_iterator it(exercises_root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && fs::exists(it->path() / "exercise.json", ec)) {
      ids.push_back(it->path().filename().string());
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::optional<std::string> default_exercise(const fs::path& exercises_root) {
  const fs::path file = exercises_root / "course.json";
  const std::optional<json> parsed = read_json_file(file);
  if (!parsed) return std::nullopt;
  const json& root = *parsed;
  const SpecReader r(file);
  r.object(root, "");
  r.only_keys(root, "", {"default_exercise"});
  if (!root.contains("default_exercise")) return std::nullopt;
  return r.name(root["default_exercise"], "/default_exercise");
}

ExerciseSpec find_exercise(const fs::path& exercises_root, const std::string& id) {
  const std::vector<std::string> ids = list_exercises(exercises_root);
  if (id.empty()) {
    if (ids.size() == 1) return load_exercise(exercises_root / ids.front());
    if (ids.empty()) {
      throw SpecError(fmt::format("{}: no exercise found (a folder with an exercise.json)",
                                  exercises_root.string()));
    }
    if (const std::optional<std::string> course_default = default_exercise(exercises_root)) {
      if (std::find(ids.begin(), ids.end(), *course_default) == ids.end()) {
        throw SpecError(fmt::format("{}: /default_exercise: no exercise \"{}\" here (known: {})",
                                    (exercises_root / "course.json").string(), *course_default,
                                    fmt::join(ids, ", ")));
      }
      return load_exercise(exercises_root / *course_default);
    }
    throw SpecError(fmt::format("{}: several exercises ({}); choose one with --exercise",
                                exercises_root.string(), fmt::join(ids, ", ")));
  }
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
    throw SpecError(
        fmt::format("unknown exercise \"{}\" in {} (known: {})", id, exercises_root.string(),
                    ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "))));
  }
  return load_exercise(exercises_root / id);
}

fs::path default_exercises_root(const fs::path& executable) {
  if (const char* env = std::getenv("GRADER_EXERCISES"); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  std::error_code ec;
  const fs::path beside = (executable.parent_path() / ".." / ".." / "exercises").lexically_normal();
  if (!executable.empty() && fs::is_directory(beside, ec)) return beside;
  return fs::path("exercises");
}

}  // namespace grader
