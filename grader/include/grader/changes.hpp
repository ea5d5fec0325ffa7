#pragma once
/// \file
/// Which submissions a change touches (`grade --changed-since REF [DIR]`), found through `git`.
/// `git` runs without a shell, with a timeout, through a small posix_spawn helper; Boost.Process
/// stays in sandbox_box.cpp.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace grader {

/// Longest a single `git` command may run before it is killed.
inline constexpr int kGitTimeoutMs = 60 * 1000;

/// What a finished command left behind.
struct CommandOutput {
  int exit_code = -1;      ///< the exit status, or 128 + signal when it was killed
  bool timed_out = false;  ///< killed after `timeout_ms`
  std::string out;         ///< all of stdout
  std::string err;         ///< all of stderr
};

/// Runs `argv` (argv[0] is looked up in PATH, no shell) in folder `cwd` with stdin from
/// /dev/null, capturing stdout and stderr; kills it with SIGKILL after `timeout_ms`.
/// \throws UsageError when the program cannot be started (message names it and the errno text).
CommandOutput run_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                          int timeout_ms);

/// The submissions under a folder that a change touches.
struct ChangedSubmissions {
  std::filesystem::path repo_root;             ///< top-level folder of the git work tree
  std::vector<std::filesystem::path> present;  ///< top-level entries of DIR to grade, sorted
  std::vector<std::filesystem::path> deleted;  ///< touched entries that no longer exist, sorted
  /// Changed files outside `dir` (paths from the repository's root, sorted): not graded, listed
  /// so that a change to the course's own files does not go unnoticed.
  std::vector<std::string> outside;
};

/// The top-level entries of `dir` (as list_batch() sees them: names starting with '.' are left
/// out) holding a file that differs between commit `ref` and the working tree: committed, staged,
/// unstaged and untracked (not ignored) changes. Each entry appears once. The changed files of
/// the repository outside `dir` are listed in `outside`.
/// \throws UsageError when `dir` is not a folder, is not inside a git work tree, `ref` does not
///         name a commit, or git fails or times out; the message quotes git's own.
ChangedSubmissions changed_submissions(const std::filesystem::path& dir, const std::string& ref);

/// The top-level folder of the git work tree holding `folder`, or nullopt when there is none
/// (or git is missing).
std::optional<std::filesystem::path> repository_root(const std::filesystem::path& folder);

}  // namespace grader
