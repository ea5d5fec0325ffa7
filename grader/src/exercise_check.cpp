// The checks of `grader check-exercise` on a prepared exercise.

#include "grader/exercise_check.hpp"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "grader/compare.hpp"
#include "grader/error.hpp"
#include "grader/report.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

using Answers = std::vector<std::optional<Value>>;

bool same_bits(const Value& a, const Value& b) {
  if (a.type != b.type || a.row_lengths != b.row_lengths ||
      a.elements.size() != b.elements.size()) {
    return false;
  }
  return a.elements.empty() ||
         std::memcmp(a.elements.data(), b.elements.data(), a.elements.size() * sizeof(double)) == 0;
}

std::string answer_text(const std::optional<Value>& a) {
  return a ? format_value(*a, 8) : std::string("no answer");
}

// The answers of the graded cases as the prepared exercise holds them.
Answers answer_key(const Grader& grader) {
  Answers key;
  for (const GradedCase& c : grader.cases()) key.emplace_back(c.expected);
  return key;
}

// Whether the model's answers on `task`'s cases of `visibility` (all cases when nullopt) all pass
// against `other`'s within the task's tolerance.
bool alike(const Grader& grader, std::size_t task, const Answers& model, const Answers& other,
           std::optional<Visibility> visibility) {
  const std::vector<GradedCase>& cases = grader.cases();
  const Tolerance& tolerance = grader.spec().tasks[task].tolerance;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].spec.task != task) continue;
    if (visibility && cases[i].spec.visibility != *visibility) continue;
    if (!model[i] || !other[i] || !all_finite(*other[i])) return false;
    if (!compare_values(*model[i], *other[i], tolerance).passed) return false;
  }
  return true;
}

std::size_t task_index(const ExerciseSpec& spec, const std::string& id) {
  for (std::size_t t = 0; t < spec.tasks.size(); ++t) {
    if (spec.tasks[t].id == id) return t;
  }
  return spec.tasks.size();
}

void check_references(Grader& grader, std::vector<CheckFinding>& out) {
  const ExerciseSpec& spec = grader.spec();
  const std::vector<GradedCase>& cases = grader.cases();
  const Answers key = answer_key(grader);
  const fs::path primary = grader.reference_file();
  out.push_back({true, fmt::format("{}: a finite answer on each of the {} graded cases",
                                   primary.string(), cases.size())});
  for (const char* name : {"solution.cpp", "solution.py"}) {
    const fs::path file = spec.reference_dir / name;
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    Answers again;
    try {
      again = grader.run_model(file, "reference solution", 0);
    } catch (const SpecError& e) {
      out.push_back({false, e.what()});
      continue;
    }
    const bool is_primary = file == primary;
    std::size_t differing = 0;
    std::string first;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const Tolerance& tolerance = spec.tasks[cases[i].spec.task].tolerance;
      const bool ok =
          again[i] && (is_primary ? same_bits(*again[i], *key[i])
                                  : compare_values(*again[i], *key[i], tolerance).passed);
      if (ok) continue;
      if (differing++ == 0) {
        first = fmt::format("case {}: {} then {}", cases[i].spec.id, answer_text(key[i]),
                            answer_text(again[i]));
      }
    }
    if (is_primary) {
      out.push_back(
          {differing == 0,
           differing == 0
               ? fmt::format("{}: a second run gives the same {} answers, bit for bit",
                             file.string(), cases.size())
               : fmt::format("{}: a second run differs on {} case(s), first {}: the answer key "
                             "must not depend on time, randomness or uninitialised memory",
                             file.string(), differing, first)});
    } else {
      out.push_back(
          {differing == 0,
           differing == 0
               ? fmt::format("{}: agrees with {} on every case within the tolerance", file.string(),
                             primary.filename().string())
               : fmt::format("{}: disagrees with {} on {} case(s), first {} (answer key, then "
                             "this file)",
                             file.string(), primary.filename().string(), differing, first)});
    }
  }
}

void check_mistakes(const Grader& grader, std::vector<CheckFinding>& out) {
  const ExerciseSpec& spec = grader.spec();
  const Answers key = answer_key(grader);
  const std::vector<MistakeModel>& mistakes = grader.mistakes();
  const fs::path dir = spec.reference_dir / "mistakes";
  for (const MistakeModel& m : mistakes) {
    for (const std::string& task_id : m.tasks) {
      const std::size_t t = task_index(spec, task_id);
      if (t == spec.tasks.size()) continue;
      if (alike(grader, t, m.answers, key, Visibility::Visible)) {
        out.push_back(
            {false, fmt::format("{}/{}: gives the reference's answers on every visible case of "
                                "{}: a student who makes this mistake is never shown it; add a "
                                "visible case that tells them apart",
                                dir.string(), m.name, task_id)});
      } else {
        out.push_back(
            {true, fmt::format("mistake {} ({}): shows on a visible case", m.name, task_id)});
      }
    }
  }
  // Two mistakes of one task that answer alike everywhere can never be told apart: the
  // diagnosis, which names only a unique match, would name neither.
  for (std::size_t a = 0; a < mistakes.size(); ++a) {
    for (std::size_t b = a + 1; b < mistakes.size(); ++b) {
      for (const std::string& task_id : mistakes[a].tasks) {
        if (std::find(mistakes[b].tasks.begin(), mistakes[b].tasks.end(), task_id) ==
            mistakes[b].tasks.end()) {
          continue;
        }
        const std::size_t t = task_index(spec, task_id);
        if (t == spec.tasks.size()) continue;
        if (alike(grader, t, mistakes[a].answers, mistakes[b].answers, std::nullopt)) {
          out.push_back({false, fmt::format("mistakes {} and {} give the same answers on every "
                                            "case of {}: the diagnosis can name neither; merge "
                                            "them or add a case that tells them apart",
                                            mistakes[a].name, mistakes[b].name, task_id)});
        }
      }
    }
  }
}

}  // namespace

std::vector<CheckFinding> check_prepared_exercise(Grader& grader) {
  std::vector<CheckFinding> out;
  check_references(grader, out);
  check_mistakes(grader, out);
  return out;
}

}  // namespace grader
