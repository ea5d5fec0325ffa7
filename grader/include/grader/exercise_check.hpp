#pragma once
/// \file
/// `grader check-exercise`: what an author learns about an exercise before students see it.
/// The spec loads, the reference answers every case with a finite number and the same bits on a
/// second run, the references in other languages agree with it, every known mistake can be seen
/// on a visible case, and no two mistakes of a task answer alike on every case.

#include <string>
#include <vector>

#include "grader/grading.hpp"

namespace grader {

/// One finding: a passed check or a problem, in words that name the file and the case.
struct CheckFinding {
  bool ok = false;
  std::string text;
};

/// Runs every check on a prepared `grader` (prepared without a cache, with diagnosis). Builds and
/// runs each reference solution once more. \throws SandboxError when the sandbox fails.
std::vector<CheckFinding> check_prepared_exercise(Grader& grader);

}  // namespace grader
