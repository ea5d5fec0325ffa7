// Scoring: turning what the harness reported into case statuses, task scores and hints.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "grader/grading.hpp"
#include "grader/submission.hpp"
#include "grader/toolchain.hpp"

namespace grader {
namespace {

// How the demangler writes a parameter type of the student contract.
std::string demangled_type(ValueType type) {
  switch (type) {
    case ValueType::Vector:
      return "std::vector<double, std::allocator<double> >";
    case ValueType::Matrix:
      return "std::vector<std::vector<double, std::allocator<double> >, "
             "std::allocator<std::vector<double, std::allocator<double> > > >";
    case ValueType::Number:
    case ValueType::Integer:
    case ValueType::Boolean:
      break;
  }
  return std::string(cpp_type(type));
}

// The function the harness calls, as the demangler writes it.
std::string wanted_function(const TaskSpec& task) {
  std::string text = task.id + "(";
  for (std::size_t i = 0; i < task.params.size(); ++i) {
    text += (i == 0 ? "" : ", ") + demangled_type(task.param_type(i));
  }
  return text + ")";
}

// Why a function the student wrote is not the one the harness calls.
std::string missing_message(const TaskSpec& task, const std::vector<std::string>& defined) {
  const std::vector<std::string> near = near_definitions(defined, task.id);
  if (near.empty()) return fmt::format("{} is not defined (expected: {})", task.id, task.signature);
  const std::string& found = near.front();
  if (found == task.id) {
    return fmt::format(
        "{} is defined with C linkage (extern \"C\"), so it is not the C++ function the "
        "exercise needs: {}; remove the extern \"C\"",
        task.id, task.signature);
  }
  if (found.rfind("(anonymous namespace)::", 0) == 0 || found == wanted_function(task)) {
    return fmt::format(
        "{} is defined as {} but only inside its own file (static or in an anonymous "
        "namespace); the exercise needs it visible to the grader: {}",
        task.id, found, task.signature);
  }
  if (found.find("::" + task.id + "(") != std::string::npos) {
    return fmt::format(
        "{} is defined as {}, inside a namespace or class; the exercise needs it at global "
        "scope: {}",
        task.id, found, task.signature);
  }
  return fmt::format("{} is defined as {}; the exercise needs {}", task.id, found, task.signature);
}

// The bound the report shows: that of the worst element for a vector or matrix (the one the
// errors are about), or of the largest expected element when there is no answer to compare.
double allowed_bound(const Value& expected, const Tolerance& tolerance,
                     const std::optional<Value>& actual) {
  if (expected.type == ValueType::Integer || expected.type == ValueType::Boolean) return 0.0;
  if (actual) {
    const ValueComparison cmp = compare_values(*actual, expected, tolerance);
    if (cmp.shape_error.empty()) return cmp.allowed;
  }
  double largest = 0.0;
  for (double x : expected.elements) largest = std::max(largest, std::fabs(x));
  return std::max(tolerance.atol, tolerance.rtol * largest);
}

std::string failure_message(const CaseRun& run, const TaskSpec& task, const ExerciseLimits& limits,
                            const std::vector<std::string>& defined) {
  switch (run.kind) {
    case CaseRun::Kind::Missing:
      return missing_message(task, defined);
    case CaseRun::Kind::Exception:
      return fmt::format("the call raised {}", run.message);
    case CaseRun::Kind::BadType:
      if (run.message.rfind("a ", 0) == 0) {  // a description, not a type name
        return fmt::format("returned {}; {} returns {}", run.message, task.id,
                           task.returns == ValueType::Integer
                               ? "an integer"
                               : fmt::format("a {}", to_string(task.returns)));
      }
      if (is_scalar_type(task.returns)) {
        return fmt::format("returned a value of type {}, not {}", run.message,
                           task.returns == ValueType::Number
                               ? "a number"
                               : fmt::format("a {}", to_string(task.returns)));
      }
      return fmt::format("returned {}, not a {} of numbers", run.message, to_string(task.returns));
    case CaseRun::Kind::Died:
      if (run.message.rfind("the program ", 0) == 0) return run.message;
      if (run.died_status == CaseStatus::Timeout) {
        return fmt::format("{} did not return within the limits ({} ms CPU, {} ms wall): {}",
                           task.id, limits.cpu_time_ms, limits.wall_time_ms, run.message);
      }
      return fmt::format("the program {} during this call", run.message);
    case CaseRun::Kind::NotRun:
      return "not run: an earlier call of this task ran out of time or memory";
    case CaseRun::Kind::Value:
      break;
  }
  return {};
}

}  // namespace

SubmissionResult Grader::score(const Submission& submission, const RunnerResult& run, int slot,
                               const std::vector<std::string>& defined) {
  SubmissionResult result;
  result.id = submission.id;
  result.path = submission.path.string();
  result.language = submission.language;
  result.status = SubmissionStatus::Graded;
  result.content_hash = content_hash(submission);
  result.stdout_text = run.stdout_text;
  result.stderr_text = run.stderr_text;
  // Tracebacks name files as the student knows them, relative to the submission.
  std::string load_error = run.load_error;
  for (std::size_t at = load_error.find("\"/box/"); at != std::string::npos;
       at = load_error.find("\"/box/", at)) {
    load_error.erase(at + 1, 5);
  }
  std::string load_summary = load_error;
  while (!load_summary.empty() && load_summary.back() == '\n') load_summary.pop_back();
  if (const auto last = load_summary.rfind('\n'); last != std::string::npos) {
    load_summary = load_summary.substr(last + 1);
  }
  if (!load_error.empty()) {
    result.message = fmt::format("loading {} failed:\n{}",
                                 submission.sources.front().generic_string(), load_error);
  }
  std::vector<std::optional<Value>> answers(cases_.size());
  std::vector<CaseStatus> statuses(cases_.size(), CaseStatus::NotRun);
  for (std::size_t t = 0; t < spec_.tasks.size(); ++t) {
    const TaskSpec& task = spec_.tasks[t];
    TaskResult tr;
    tr.id = task.id;
    tr.title = task.title;
    tr.signature = task.signature;
    tr.max_score = task.points;
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const GradedCase& graded = cases_[i];
      if (graded.spec.task != t) continue;
      const CaseRun& r = run.runs[i];
      CaseResult c;
      c.id = graded.spec.id;
      c.visibility = graded.spec.visibility;
      c.expected = graded.expected;
      c.tolerance = task.tolerance;
      for (std::size_t p = 0; p < task.params.size(); ++p) {
        c.inputs.emplace_back(task.params[p], graded.spec.args[p]);
      }
      if (!run.load_error.empty()) {
        c.status = CaseStatus::RuntimeError;
        c.message = fmt::format("importing {} failed before any call: {}",
                                submission.sources.front().generic_string(), load_summary);
      } else if (r.kind == CaseRun::Kind::Value) {
        const ValueComparison cmp = compare_values(r.value, graded.expected, task.tolerance);
        c.actual = r.value;
        c.abs_error = cmp.abs_error;
        c.rel_error = cmp.rel_error;
        answers[i] = r.value;
        if (!cmp.shape_error.empty()) {
          c.status = CaseStatus::WrongShape;
          c.message = cmp.shape_error;
          c.abs_error = c.rel_error = 0.0;
        } else if (!cmp.finite) {
          c.status = CaseStatus::NotANumber;
          c.message = r.value.is_scalar()
                          ? fmt::format("returned {}, not a finite number", format_value(r.value))
                          : fmt::format("returned {}: not every element is a finite number",
                                        format_value(r.value, 8));
        } else {
          c.status = cmp.passed ? CaseStatus::Passed : CaseStatus::WrongAnswer;
          if (!cmp.passed && cmp.first_mismatch && !r.value.is_scalar()) {
            // Name the first element that differs; short vectors show whole anyway.
            const std::size_t k = *cmp.first_mismatch;
            c.message = fmt::format("result{}: expected {}, got {}", graded.expected.index_text(k),
                                    format_number(graded.expected.elements[k]),
                                    format_number(r.value.elements[k]));
          }
        }
        if (r.note == "float32") {
          c.message += (c.message.empty() ? "" : "; ") +
                       std::string(
                           "returned a numpy.float32: single precision keeps about 7 "
                           "digits; return a Python float");
        }
      } else {
        c.status = r.kind == CaseRun::Kind::Missing     ? CaseStatus::Missing
                   : r.kind == CaseRun::Kind::Exception ? CaseStatus::RuntimeError
                   : r.kind == CaseRun::Kind::BadType   ? CaseStatus::WrongAnswer
                   : r.kind == CaseRun::Kind::Died      ? r.died_status
                                                        : CaseStatus::NotRun;
        c.message = failure_message(r, task, spec_.limits, defined);
      }
      c.allowed = allowed_bound(graded.expected, task.tolerance, c.actual);
      statuses[i] = c.status;
      if (c.visibility == Visibility::Hidden) {
        // Nothing about a hidden case leaves the grader but its status.
        c.inputs.clear();
        c.actual.reset();
        c.expected = Value();
        c.abs_error = c.rel_error = c.allowed = 0.0;
        c.message.clear();
      }
      tr.cases.push_back(std::move(c));
    }
    const std::size_t passed = tr.passed();
    tr.score = tr.cases.empty() ? 0.0
                                : task.points * static_cast<double>(passed) /
                                      static_cast<double>(tr.cases.size());
    if (passed < tr.cases.size()) {
      ensure_mistakes(task.id, slot);
      tr.diagnosis = diagnose_task(task, t, cases_, answers, statuses, mistakes_);
    }
    result.score += tr.score;
    result.max_score += tr.max_score;
    result.tasks.push_back(std::move(tr));
  }
  return result;
}

}  // namespace grader
