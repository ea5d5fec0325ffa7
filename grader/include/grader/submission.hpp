#pragma once
/// \file
/// What a student handed in: discovery of its files, its language and its id.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "grader/status.hpp"

namespace grader {

/// Largest source file accepted, and most files in one submission.
inline constexpr std::uintmax_t kMaxSourceBytes = 1024 * 1024;
inline constexpr std::size_t kMaxSourceFiles = 200;

/// A submission as found on disk. When `problem` is set the submission is `invalid` and
/// `problem` says, in words for the student, what to hand in instead.
struct Submission {
  std::string id;                              ///< folder name, or file name without its extension
  std::filesystem::path path;                  ///< as given on the command line
  std::filesystem::path root;                  ///< folder the files are relative to
  std::vector<std::filesystem::path> files;    ///< sources and headers, relative to root, sorted
  std::vector<std::filesystem::path> sources;  ///< C++: the .cpp files; Python: the one module
  std::optional<Language> language;
  std::string problem;
};

/// Finds the files of the submission at `path` (a folder or a single .cpp/.py file) and tells
/// its language. Never throws for a bad submission: an empty folder, no sources, both languages,
/// several .py files without main.py, unreadable or binary files all give `problem`.
/// \throws UsageError when `path` does not exist.
Submission discover_submission(const std::filesystem::path& path);

/// The entries of a batch folder, sorted by name; entries whose name starts with '.' are skipped
/// (version-control folders, the examples' manifest).
/// \throws UsageError when `dir` is not a readable folder.
std::vector<std::filesystem::path> list_batch(const std::filesystem::path& dir);

/// `paths` without the folders named after another exercise of `exercises_root` than `graded`
/// (a course keeps each exercise's examples in submissions/ID/): each is named on `notes`.
std::vector<std::filesystem::path> without_other_exercises(
    std::vector<std::filesystem::path> paths, const std::filesystem::path& exercises_root,
    const std::string& graded, std::ostream& notes);

/// A hex digest of the submission's file names and contents, for caching and deduplication.
std::string content_hash(const Submission& submission);

}  // namespace grader
