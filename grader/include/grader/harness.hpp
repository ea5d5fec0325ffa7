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

/// The program every Python run starts with, `python3 -I -B -c LAUNCHER HARNESS STUDENT_FILE
/// COUNT FILE... CASES_FILE`: a syntax check of the student's files, then the harness, from
/// HARNESS + "c" when that holds it compiled from this very HARNESS by this interpreter.
std::string_view python_launcher_source();

/// What compiles the Python harness once per exercise, `python3 -I -B -c COMPILER HARNESS
/// OUTPUT`: OUTPUT gets the layout of a hash-based .pyc, which the launcher checks.
std::string_view python_harness_compiler_source();

/// `bindings.inc` for the C++ harness: per task, a weak declaration of the function as the
/// exercise's signature has it and an entry of `kBindings` that calls it.
std::string cpp_bindings(const ExerciseSpec& spec);

}  // namespace grader
