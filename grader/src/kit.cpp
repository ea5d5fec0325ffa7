// `grader kit`: the public part of an exercise, built from the loaded spec and the prepared
// answer key rather than by editing the spec's text, so that nothing private can slip through
// a key that a filter forgot.

#include "grader/kit.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "files.hpp"
#include "grader/error.hpp"
#include "value_json.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;
using ordered = nlohmann::ordered_json;

// A file of the exercise as a path relative to its folder (the loader keeps them inside it).
fs::path relative_to(const fs::path& file, const fs::path& dir) {
  return file.lexically_normal().lexically_relative(dir.lexically_normal());
}

ordered limits_json(const ExerciseLimits& l) {
  return {{"compile_time_ms", l.compile_time_ms}, {"compile_memory_mib", l.compile_memory_mib},
          {"cpu_time_ms", l.cpu_time_ms},         {"wall_time_ms", l.wall_time_ms},
          {"memory_mib", l.memory_mib},           {"output_limit_kib", l.output_limit_kib},
          {"max_processes", l.max_processes},     {"file_size_kib", l.file_size_kib},
          {"box_size_mib", l.box_size_mib},       {"open_files", l.open_files}};
}

ordered task_json(const TaskSpec& task, std::size_t task_index,
                  const std::vector<GradedCase>& cases) {
  ordered params = ordered::array();
  for (std::size_t i = 0; i < task.params.size(); ++i) {
    params.push_back({{"name", task.params[i]}, {"type", to_string(task.param_type(i))}});
  }
  ordered visible = ordered::array();
  for (const GradedCase& c : cases) {
    if (c.spec.task != task_index || c.spec.visibility != Visibility::Visible) continue;
    ordered inputs = ordered::object();
    for (std::size_t i = 0; i < task.params.size(); ++i) {
      inputs[task.params[i]] = detail::value_json<ordered>(c.spec.args[i]);
    }
    visible.push_back({{"name", c.spec.id.substr(task.id.size() + 1)},
                       {"visibility", "visible"},
                       {"inputs", inputs},
                       {"expected", detail::value_json<ordered>(c.expected)}});
  }
  return {{"id", task.id},
          {"title", task.title},
          {"signature", task.signature},
          {"params", params},
          {"returns", to_string(task.returns)},
          {"points", task.points},
          {"tolerance", {{"rtol", task.tolerance.rtol}, {"atol", task.tolerance.atol}}},
          {"cases", visible}};
}

}  // namespace

std::vector<fs::path> write_kit(const Grader& grader, const fs::path& kit_root) {
  const ExerciseSpec& spec = grader.spec();
  const fs::path out = kit_root / spec.id;
  std::vector<fs::path> written;
  const auto copy = [&](const fs::path& file) {
    const fs::path relative = relative_to(file, spec.dir);
    detail::copy_into(file, out / relative);
    written.push_back(out / relative);
    return relative.generic_string();
  };

  ordered root;
  root["schema_version"] = 1;
  root["id"] = spec.id;
  root["title"] = spec.title;
  root["scope"] = "visible";
  if (spec.statement) root["statement"] = copy(*spec.statement);
  ordered languages = ordered::object();
  for (const auto& [language, files] : spec.languages) {
    ordered entry = ordered::object();
    if (files.header) entry["header"] = copy(*files.header);
    if (files.starter) entry["starter"] = copy(*files.starter);
    if (!files.interpreter.empty()) entry["interpreter"] = files.interpreter;
    if (!files.modules.empty()) entry["modules"] = files.modules;
    languages[std::string(to_string(language))] = entry;
  }
  root["languages"] = languages;
  root["limits"] = limits_json(spec.limits);
  ordered tasks = ordered::array();
  for (std::size_t t = 0; t < spec.tasks.size(); ++t) {
    tasks.push_back(task_json(spec.tasks[t], t, grader.cases()));
  }
  root["tasks"] = tasks;
  // The known mistakes' answers on the visible cases and their hints, so that a student gets the
  // same diagnosis as from the full grade; their sources stay private.
  ordered mistakes = ordered::array();
  for (const MistakeModel& m : grader.mistakes()) {
    ordered answers = ordered::object();
    for (std::size_t i = 0; i < grader.cases().size(); ++i) {
      const GradedCase& c = grader.cases()[i];
      if (c.spec.visibility != Visibility::Visible || !m.answers[i]) continue;
      answers[c.spec.id] = detail::value_json<ordered>(*m.answers[i]);
    }
    mistakes.push_back(
        {{"name", m.name}, {"tasks", m.tasks}, {"hint", m.hint}, {"answers", answers}});
  }
  if (!mistakes.empty()) root["mistakes"] = mistakes;
  detail::write_text(out / "exercise.json", root.dump(2) + "\n");
  written.push_back(out / "exercise.json");
  return written;
}

}  // namespace grader
