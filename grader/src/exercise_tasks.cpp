// The tasks of exercise.json: signature, types, tolerance, explicit and generated cases.

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

namespace grader::detail {
namespace {

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

}  // namespace

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

}  // namespace grader::detail
