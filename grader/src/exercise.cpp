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
#include "value_json.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Short rendering of a JSON value for error messages.
std::string show(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Reads typed fields of the spec and turns every defect into a SpecError that names the file,
// the JSON pointer and the offending value.
class SpecReader {
 public:
  explicit SpecReader(fs::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw SpecError(fmt::format("{}: {}: {}", file_.string(), where.empty() ? "/" : where, what));
  }

  const json& require(const json& object, const std::string& where, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) fail(where, fmt::format("missing required field \"{}\"", key));
    return *it;
  }

  void only_keys(const json& object, const std::string& where,
                 std::initializer_list<const char*> keys) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) ==
          keys.end()) {
        fail(where + "/" + key, fmt::format("unknown field \"{}\"", key));
      }
    }
  }

  const json& object(const json& value, const std::string& where) const {
    if (!value.is_object()) fail(where, fmt::format("expected an object, got {}", show(value)));
    return value;
  }

  const json& array(const json& value, const std::string& where) const {
    if (!value.is_array()) fail(where, fmt::format("expected an array, got {}", show(value)));
    return value;
  }

  std::string string(const json& value, const std::string& where) const {
    if (!value.is_string()) fail(where, fmt::format("expected a string, got {}", show(value)));
    return value.get<std::string>();
  }

  std::string identifier(const json& value, const std::string& where) const {
    std::string text = string(value, where);
    const bool ok =
        !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_') &&
        std::all_of(text.begin(), text.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!ok) fail(where, fmt::format("expected an identifier, got {}", show(value)));
    return text;
  }

  // Case and file names: letters, digits, '-', '_' and '.'; no path separators.
  std::string name(const json& value, const std::string& where) const {
    std::string text = string(value, where);
    const bool ok =
        !text.empty() && text != "." && text != ".." &&
        std::all_of(text.begin(), text.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        });
    if (!ok)
      fail(where,
           fmt::format("expected a name of letters, digits, '-', '_' or '.', got {}", show(value)));
    return text;
  }

  double number(const json& value, const std::string& where) const {
    if (!value.is_number()) fail(where, fmt::format("expected a number, got {}", show(value)));
    const double number = value.get<double>();
    if (!std::isfinite(number))
      fail(where, fmt::format("expected a finite number, got {}", show(value)));
    return number;
  }

  // A value of a task's parameter or result: numbers finite, integers whole and within int,
  // vectors of numbers, matrices of rows of equal length.
  Value typed(const json& value, ValueType type, const std::string& where) const {
    switch (type) {
      case ValueType::Number:
        return Value(number(value, where));
      case ValueType::Integer: {
        if (!value.is_number_integer() || value.get<std::int64_t>() < -2147483647 ||
            value.get<std::int64_t>() > 2147483647) {
          fail(where, fmt::format("expected an integer (an int of C++), got {}", show(value)));
        }
        return Value::scalar(type, static_cast<double>(value.get<std::int64_t>()));
      }
      case ValueType::Boolean:
        return Value::scalar(type, boolean(value, where) ? 1.0 : 0.0);
      case ValueType::Vector: {
        if (!value.is_array())
          fail(where, fmt::format("expected a vector (an array of numbers), got {}", show(value)));
        std::vector<double> elements;
        for (std::size_t i = 0; i < value.size(); ++i) {
          elements.push_back(number(value[i], fmt::format("{}/{}", where, i)));
        }
        return Value::vector(std::move(elements));
      }
      case ValueType::Matrix: {
        if (!value.is_array())
          fail(where, fmt::format("expected a matrix (an array of rows), got {}", show(value)));
        std::vector<std::vector<double>> rows;
        for (std::size_t r = 0; r < value.size(); ++r) {
          const std::string r_where = fmt::format("{}/{}", where, r);
          if (!value[r].is_array())
            fail(r_where,
                 fmt::format("expected a row (an array of numbers), got {}", show(value[r])));
          std::vector<double> row;
          for (std::size_t c = 0; c < value[r].size(); ++c) {
            row.push_back(number(value[r][c], fmt::format("{}/{}", r_where, c)));
          }
          if (r > 0 && row.size() != rows.front().size()) {
            fail(r_where, fmt::format("a row of {} numbers in a matrix whose first row has {}",
                                      row.size(), rows.front().size()));
          }
          rows.push_back(std::move(row));
        }
        return Value::matrix(rows);
      }
    }
    fail(where, "unknown type");
  }

  double positive(const json& value, const std::string& where) const {
    const double x = number(value, where);
    if (!(x > 0)) fail(where, fmt::format("expected a positive number, got {}", show(value)));
    return x;
  }

  std::int64_t positive_integer(const json& value, const std::string& where) const {
    if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) {
      fail(where, fmt::format("expected a positive integer, got {}", show(value)));
    }
    return value.get<std::int64_t>();
  }

  bool boolean(const json& value, const std::string& where) const {
    if (!value.is_boolean())
      fail(where, fmt::format("expected true or false, got {}", show(value)));
    return value.get<bool>();
  }

  // A file of the exercise, relative to its folder, that must exist and stay inside it.
  fs::path exercise_file(const json& value, const std::string& where, const fs::path& dir) const {
    const std::string relative = string(value, where);
    const fs::path path = fs::path(relative).lexically_normal();
    if (relative.empty() || path.is_absolute() || *path.begin() == "..") {
      fail(where, fmt::format("expected a path inside the exercise folder, got {}", show(value)));
    }
    const fs::path full = dir / path;
    std::error_code ec;
    if (!fs::is_regular_file(full, ec)) {
      fail(where, fmt::format("file \"{}\" does not exist", full.string()));
    }
    return full;
  }

 private:
  fs::path file_;
};

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

Tolerance read_tolerance(const SpecReader& r, const json& value, const std::string& where) {
  r.object(value, where);
  r.only_keys(value, where, {"rtol", "atol"});
  Tolerance tolerance;
  if (value.contains("rtol")) {
    tolerance.rtol = r.number(value["rtol"], where + "/rtol");
    if (tolerance.rtol < 0) r.fail(where + "/rtol", "expected a number >= 0");
  }
  if (value.contains("atol")) {
    tolerance.atol = r.number(value["atol"], where + "/atol");
    if (tolerance.atol < 0) r.fail(where + "/atol", "expected a number >= 0");
  }
  return tolerance;
}

std::size_t param_index(const SpecReader& r, const TaskSpec& task, const json& value,
                        const std::string& where) {
  const std::string name = r.string(value, where);
  auto it = std::find(task.params.begin(), task.params.end(), name);
  if (it == task.params.end()) {
    r.fail(where, fmt::format("\"{}\" is not a parameter of {}", name, task.id));
  }
  return static_cast<std::size_t>(it - task.params.begin());
}

Generation read_generation(const SpecReader& r, const TaskSpec& task, const json& value,
                           const std::string& where) {
  r.object(value, where);
  r.only_keys(value, where,
              {"count", "visibility", "params", "min_abs_expected", "min_abs_difference"});
  Generation generation;
  generation.count =
      static_cast<int>(r.positive_integer(r.require(value, where, "count"), where + "/count"));
  if (generation.count > 10000) r.fail(where + "/count", "at most 10000 generated cases");
  if (value.contains("visibility")) {
    const std::string text = r.string(value["visibility"], where + "/visibility");
    auto visibility = parse_visibility(text);
    if (!visibility) {
      r.fail(where + "/visibility",
             fmt::format("expected \"visible\" or \"hidden\", got \"{}\"", text));
    }
    generation.visibility = *visibility;
  }
  const std::string params_where = where + "/params";
  const json& params = r.object(r.require(value, where, "params"), params_where);
  for (std::size_t p = 0; p < task.params.size(); ++p) {
    const std::string& name = task.params[p];
    const std::string p_where = params_where + "/" + name;
    const ValueType type = task.param_type(p);
    if (type != ValueType::Number && type != ValueType::Integer) {
      r.fail(where, fmt::format("generated cases draw numbers and integers only, and \"{}\" is "
                                "a {}: write its cases out under \"cases\"",
                                name, to_string(type)));
    }
    if (!params.contains(name)) r.fail(params_where, fmt::format("missing range for \"{}\"", name));
    const json& range = r.object(params[name], p_where);
    r.only_keys(range, p_where, {"min", "max", "decimals", "nonzero"});
    ParamRange parsed;
    parsed.min = r.number(r.require(range, p_where, "min"), p_where + "/min");
    parsed.max = r.number(r.require(range, p_where, "max"), p_where + "/max");
    if (parsed.max < parsed.min) {
      r.fail(p_where + "/max", fmt::format("max ({}) is below min ({})", parsed.max, parsed.min));
    }
    if (range.contains("decimals")) {
      const json& decimals = range["decimals"];
      if (!decimals.is_number_integer() || decimals.get<int>() < 0 || decimals.get<int>() > 15) {
        r.fail(p_where + "/decimals",
               fmt::format("expected an integer 0..15, got {}", show(decimals)));
      }
      parsed.decimals = decimals.get<int>();
    }
    if (range.contains("nonzero"))
      parsed.nonzero = r.boolean(range["nonzero"], p_where + "/nonzero");
    if (type == ValueType::Integer && parsed.decimals != 0) {
      if (range.contains("decimals"))
        r.fail(p_where + "/decimals", "an integer parameter is drawn with 0 decimals");
      parsed.decimals = 0;
    }
    generation.params.push_back(parsed);
  }
  for (const auto& [key, unused] : params.items()) {
    if (std::find(task.params.begin(), task.params.end(), key) == task.params.end()) {
      r.fail(params_where + "/" + key,
             fmt::format("\"{}\" is not a parameter of {}", key, task.id));
    }
  }
  if (value.contains("min_abs_expected")) {
    generation.min_abs_expected = r.number(value["min_abs_expected"], where + "/min_abs_expected");
  }
  if (value.contains("min_abs_difference")) {
    const std::string d_where = where + "/min_abs_difference";
    const json& list = r.array(value["min_abs_difference"], d_where);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string e_where = fmt::format("{}/{}", d_where, i);
      const json& entry = r.array(list[i], e_where);
      if (entry.size() != 3) r.fail(e_where, "expected [\"param\", \"param\", distance]");
      MinDifference difference;
      difference.first = param_index(r, task, entry[0], e_where + "/0");
      difference.second = param_index(r, task, entry[1], e_where + "/1");
      difference.distance = r.number(entry[2], e_where + "/2");
      generation.min_abs_difference.push_back(difference);
    }
  }
  return generation;
}

ValueType read_type(const SpecReader& r, const json& value, const std::string& where) {
  const std::string text = r.string(value, where);
  auto type = parse_value_type(text);
  if (!type) {
    r.fail(where,
           fmt::format("unknown type \"{}\" (number, integer, boolean, vector, matrix)", text));
  }
  return *type;
}

TaskSpec read_task(const SpecReader& r, const json& value, const std::string& where,
                   std::size_t task_index, std::set<std::string>& case_ids) {
  r.object(value, where);
  r.only_keys(value, where,
              {"id", "title", "signature", "params", "returns", "points", "tolerance", "cases",
               "generated"});
  TaskSpec task;
  task.id = r.identifier(r.require(value, where, "id"), where + "/id");
  task.title = value.contains("title") ? r.string(value["title"], where + "/title") : task.id;
  task.signature =
      value.contains("signature") ? r.string(value["signature"], where + "/signature") : task.id;
  const json& params = r.array(r.require(value, where, "params"), where + "/params");
  if (params.empty()) r.fail(where + "/params", "a task needs at least one parameter");
  for (std::size_t i = 0; i < params.size(); ++i) {
    // A parameter is a name (a number) or {"name": ..., "type": ...}.
    const std::string p_where = fmt::format("{}/params/{}", where, i);
    std::string name;
    ValueType type = ValueType::Number;
    if (params[i].is_object()) {
      r.only_keys(params[i], p_where, {"name", "type"});
      name = r.identifier(r.require(params[i], p_where, "name"), p_where + "/name");
      if (params[i].contains("type")) type = read_type(r, params[i]["type"], p_where + "/type");
    } else {
      name = r.identifier(params[i], p_where);
    }
    if (std::find(task.params.begin(), task.params.end(), name) != task.params.end()) {
      r.fail(p_where, fmt::format("duplicate parameter \"{}\"", name));
    }
    task.params.push_back(std::move(name));
    task.param_types.push_back(type);
  }
  if (value.contains("returns")) task.returns = read_type(r, value["returns"], where + "/returns");
  task.points = r.positive(r.require(value, where, "points"), where + "/points");
  if (value.contains("tolerance"))
    task.tolerance = read_tolerance(r, value["tolerance"], where + "/tolerance");

  const json& cases =
      value.contains("cases") ? r.array(value["cases"], where + "/cases") : json::array();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string c_where = fmt::format("{}/cases/{}", where, i);
    const json& entry = r.object(cases[i], c_where);
    r.only_keys(entry, c_where, {"name", "visibility", "inputs", "expected"});
    CaseSpec spec;
    spec.task = task_index;
    const std::string name = r.name(r.require(entry, c_where, "name"), c_where + "/name");
    spec.id = task.id + "/" + name;
    if (!case_ids.insert(spec.id).second) {
      r.fail(c_where + "/name", fmt::format("duplicate case id \"{}\"", spec.id));
    }
    const std::string visibility =
        r.string(r.require(entry, c_where, "visibility"), c_where + "/visibility");
    auto parsed = parse_visibility(visibility);
    if (!parsed) {
      r.fail(c_where + "/visibility",
             fmt::format("expected \"visible\" or \"hidden\", got \"{}\"", visibility));
    }
    spec.visibility = *parsed;
    const json& inputs = r.object(r.require(entry, c_where, "inputs"), c_where + "/inputs");
    for (std::size_t p = 0; p < task.params.size(); ++p) {
      const std::string& param = task.params[p];
      if (!inputs.contains(param)) {
        r.fail(c_where + "/inputs", fmt::format("missing input \"{}\"", param));
      }
      spec.args.push_back(r.typed(inputs[param], task.param_type(p), c_where + "/inputs/" + param));
    }
    if (entry.contains("expected")) {
      spec.expected = r.typed(entry["expected"], task.returns, c_where + "/expected");
    }
    if (inputs.size() != task.params.size()) {
      for (const auto& [key, unused] : inputs.items()) {
        if (std::find(task.params.begin(), task.params.end(), key) == task.params.end()) {
          r.fail(c_where + "/inputs/" + key,
                 fmt::format("\"{}\" is not a parameter of {}", key, task.id));
        }
      }
    }
    task.cases.push_back(std::move(spec));
  }
  if (value.contains("generated")) {
    task.generation = read_generation(r, task, value["generated"], where + "/generated");
  }
  if (task.cases.empty() && !task.generation) {
    r.fail(where, fmt::format("task \"{}\" has no cases", task.id));
  }
  return task;
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
