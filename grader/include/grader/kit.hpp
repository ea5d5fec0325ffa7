#pragma once
/// \file
/// The public part of an exercise: what students may have to grade their work on the visible
/// cases (`grader kit`). The private part (hidden cases, the seed and ranges of generated
/// cases, the reference and the mistake models) stays with the instructor.

#include <filesystem>
#include <vector>

#include "grader/grading.hpp"

namespace grader {

/// Writes the public part of `grader`'s exercise (prepared) into `kit_root / ID`: an
/// exercise.json with `"scope": "visible"` holding the statement's, header's and starters'
/// names, the limits, and per task its signature, points, tolerance and visible cases with
/// their expected values, and each known mistake's answers on those cases with its hint (not
/// its source); and copies of those files. Nothing else of the exercise folder is
/// copied. Returns the files written.
/// \throws ReportError when a file cannot be written.
std::vector<std::filesystem::path> write_kit(const Grader& grader,
                                             const std::filesystem::path& kit_root);

}  // namespace grader
