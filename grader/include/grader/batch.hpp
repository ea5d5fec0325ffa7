#pragma once
/// \file
/// Grading many submissions in parallel, each worker in its own sandbox slot.

#include <filesystem>
#include <functional>
#include <vector>

#include "grader/grading.hpp"

namespace grader {

/// Progress of a batch, passed to the callback after each submission.
struct BatchProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t failures = 0;  ///< not graded, or below full marks
};

/// Called after each submission, from the worker that graded it, one call at a time.
using BatchCallback = std::function<void(const SubmissionResult&, const BatchProgress&)>;

/// Grades `paths` with `jobs` workers (slots 0 .. jobs-1) and returns the results in the order
/// of `paths`. Submissions with the same content hash are graded once; the copies carry their
/// own id and path and `cached` set. A sandbox failure or an unexpected error while grading one
/// submission makes that submission `internal_error` with the reason; the others go on.
/// \throws the first SpecError, ToolchainError or UsageError met (after all workers stopped).
std::vector<SubmissionResult> grade_many(Grader& grader,
                                         const std::vector<std::filesystem::path>& paths, int jobs,
                                         const BatchCallback& on_result = {});

}  // namespace grader
