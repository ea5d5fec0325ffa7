#pragma once
// The mistake catalogue's files (reference/ID/mistakes/NAME.cpp or .py), shared by
// preparation.cpp and mistake_models.cpp.

#include <filesystem>

#include "grader/grading.hpp"

namespace grader::detail {

/// Reads the `// mistake:`, `// task:` and `// hint:` lines at the top of a mistake file (`#`
/// in Python). \throws SpecError when the name disagrees with the file's or a line is missing.
MistakeModel read_mistake_header(const std::filesystem::path& file);

/// The cache variant of a prepared exercise: with the mistake catalogue (for diagnosis) or not.
inline const char* prepared_variant(bool diagnose) {
  return diagnose ? "prepared" : "prepared-no-diagnose";
}

}  // namespace grader::detail
