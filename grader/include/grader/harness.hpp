#pragma once
/// \file
/// The grader's own harnesses (grader/harness/), one per language and the same for every
/// exercise, built into the grader; and what C++ needs of an exercise to use its harness.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grader/exercise.hpp"

namespace grader {

/// grader/harness/harness.cpp: the C++ harness; it includes `bindings.inc`.
std::string_view cpp_harness_source();

/// grader/harness/harness.py: the Python harness, which calls each function by name.
std::string_view python_harness_source();

/// The program every Python run starts with, `python3 -I -B -c LAUNCHER HARNESS STUDENT_FILE
/// COUNT FILE... CASES_FILE`: a syntax check of the student's files, then the harness, from
/// HARNESS + "c" when that holds it compiled from this very HARNESS by this interpreter.
std::string_view python_launcher_source();

/// What compiles the Python harness once per exercise, `python3 -I -B -c COMPILER HARNESS
/// OUTPUT`: OUTPUT gets the layout of a hash-based .pyc, which the launcher checks.
std::string_view python_harness_compiler_source();

/// A mistake model's file: its name (for the compiler's messages) and text.
struct ModelSource {
  std::string name;
  std::string text;
};

/// The C++ mistake models of an exercise as one program of two files: `models_source` holds
/// each model's file as it is, inside a namespace of its own, after the union of their leading
/// #include lines (which then include nothing again); `dispatch_source` defines the task
/// functions the harness calls, each forwarding to the model whose number (0-based, in the
/// order given) the environment variable GRADER_MODEL holds, or throwing when that model left
/// the function out, which gives no answer, as a missing function does.
struct CombinedModels {
  std::string models_source;
  std::string dispatch_source;
};

/// std::nullopt, with `why`, when a model cannot share the program: it includes a header that
/// is neither a standard one nor the exercise's, or has a preprocessor line after its leading
/// #include lines (a macro would reach into the models after it).
std::optional<CombinedModels> combined_models(const ExerciseSpec& spec,
                                              const std::vector<ModelSource>& models,
                                              std::string& why);

namespace detail {
/// The parameter lists a student may have written for `task`: per parameter, whether a
/// vector or matrix is taken by const reference.
std::vector<std::vector<bool>> reference_variants(const TaskSpec& task);
/// A parameter list in C++ ("double, const std::vector<double>&").
std::string parameter_list(const TaskSpec& task, const std::vector<bool>& by_reference);
}  // namespace detail

/// `bindings.inc` for the C++ harness: per task, a weak declaration of the function as the
/// exercise's signature has it and an entry of `kBindings` that calls it.
std::string cpp_bindings(const ExerciseSpec& spec);

}  // namespace grader
