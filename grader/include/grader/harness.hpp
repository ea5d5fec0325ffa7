#pragma once
/// \file
/// The grader's own harnesses (grader/harness/), one per language and the same for every
/// exercise, built into the grader; and what C++ needs of an exercise to use its harness.

#include <string>
#include <string_view>

#include "grader/exercise.hpp"

namespace grader {

/// grader/harness/harness.cpp: the C++ harness; it includes `bindings.inc`.
std::string_view cpp_harness_source();

/// grader/harness/harness.py: the Python harness, which calls each function by name.
std::string_view python_harness_source();

/// `bindings.inc` for the C++ harness: per task, a weak declaration of the function as the
/// exercise's signature has it and an entry of `kBindings` that calls it.
std::string cpp_bindings(const ExerciseSpec& spec);

}  // namespace grader
