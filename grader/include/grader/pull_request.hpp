#pragma once
/// \file
/// Grading a pull request from the trusted side (`grade --changed-since BASE [DIR]
/// --pull-request HEAD`): the pull request's commits are read as git objects only, never checked
/// out. Every path that BASE...HEAD changes must lie in one submission of DIR (and, with a
/// roster, one that belongs to the pull request's author); that submission's regular files are
/// copied out of HEAD into a fresh folder, which is what gets graded, by the grader and the
/// exercises of the trusted side. Anything else is refused, naming each file.

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "grader/error.hpp"

namespace grader {

/// Most files, and most bytes in all, that the submission of a pull request may hold.
inline constexpr std::size_t kMaxPullRequestFiles = 500;
inline constexpr std::uintmax_t kMaxPullRequestBytes = 16 * 1024 * 1024;

/// Most refusals listed in a message, in annotations or in a job summary; the rest are counted.
inline constexpr std::size_t kMaxListedRefusals = 50;

/// Names the grader gives its own files next to a student's (the harnesses, the C++ bindings,
/// the folder `.grader`): a submission holding one of them is refused, so that nobody can pass
/// a file of their own for the grader's.
const std::vector<std::string>& reserved_submission_names();

/// One path a pull request changes, as `git diff --raw -z --no-renames` lists it.
struct ChangedPath {
  char status = 'M';     ///< 'A' added, 'D' deleted, 'M' modified, 'T' type changed
  std::string old_mode;  ///< git's mode before, "000000" when added
  std::string new_mode;  ///< git's mode after, "000000" when deleted
  std::string path;      ///< path from the repository's root, '/'-separated
};

/// Parses the output of `git diff --raw -z --no-renames` (a rename shows as a deletion and an
/// addition, so both names are there).
/// \throws UsageError when the text is not in that format (the message quotes the bad record).
std::vector<ChangedPath> parse_raw_diff(const std::string& text);

/// One entry of `git ls-tree -r -l -z`: a file of the submission in the head commit.
struct TreeFile {
  std::string mode;       ///< "100644", "100755", "120000" (symbolic link), "160000" (submodule)
  std::string type;       ///< "blob" or "commit"
  std::string object;     ///< the object's id
  std::uintmax_t size{};  ///< bytes; 0 for a submodule
  std::string path;       ///< relative to the submission's folder, '/'-separated
};

/// Parses the output of `git ls-tree -r -l -z` (with or without -r).
/// \throws UsageError when the text is not in that format.
std::vector<TreeFile> parse_ls_tree(const std::string& text);

/// Who may change which submission: GitHub logins (compared without case, as GitHub does) and
/// the submission ids each may change.
struct Roster {
  std::filesystem::path file;                                 ///< where it was read from
  std::map<std::string, std::set<std::string>> ids_by_login;  ///< login in lower case -> ids
};

/// Parses a roster: one `login,submission` pair per line (a submission is named by its id: its
/// folder's name, or a single file's name without the extension), `#` comments and blank lines
/// ignored, an optional header line `login,submission`. A login may have several submissions
/// (one per line) and a submission several logins (a team).
/// \throws UsageError naming `file`, the line number and the line when a line is malformed or
///         a login is not a valid GitHub login.
Roster parse_roster(const std::string& text, const std::filesystem::path& file);

/// Reads and parses the roster `file`. \throws UsageError when it cannot be read or parsed.
Roster load_roster(const std::filesystem::path& file);

/// One thing a pull request may not do: the repository path it concerns (empty for a rule about
/// the whole pull request, such as an author missing from the roster) and why.
struct Refusal {
  std::string path;
  std::string reason;
};

/// What the changed paths of a pull request allow.
struct PullRequestScope {
  std::string entry;              ///< the one top-level entry of DIR it changes, "" if none
  std::vector<Refusal> refusals;  ///< empty when the pull request may be graded
};

/// Decides whether `changes` stay inside one submission of the folder `dir` (a repository path
/// such as "submissions", no trailing '/'). A path outside `dir`, in an entry of `dir` whose name
/// starts with '.' (the course's own files) or in a second entry is refused. With a `roster`,
/// the entry must be one of `author`'s submissions. Pure: no git, no files.
PullRequestScope check_pull_request_scope(const std::vector<ChangedPath>& changes,
                                          const std::string& dir, const Roster* roster,
                                          const std::string& author);

/// Refusals for the files of the submission `entry_path` (a repository path) in the head
/// commit: symbolic links, submodules, reserved names (reserved_submission_names()), path parts
/// that are empty, "." or "..", ".git", and more than kMaxPullRequestFiles files or
/// kMaxPullRequestBytes bytes. Pure.
std::vector<Refusal> check_submission_files(const std::vector<TreeFile>& files,
                                            const std::string& entry_path);

/// Thrown when a pull request may not be graded: a UsageError (exit code 2) whose message
/// lists every refusal, one per line, and which keeps them for annotations.
class PullRequestRefused : public UsageError {
 public:
  PullRequestRefused(const std::string& message, std::vector<Refusal> refusals)
      : UsageError(message), refusals_(std::move(refusals)) {}
  /// What was refused, path by path.
  const std::vector<Refusal>& refusals() const { return refusals_; }

 private:
  std::vector<Refusal> refusals_;
};

/// The message of a refusal, for `grader: error: `: a first line, then one indented line per
/// refusal (at most kMaxListedRefusals; then how many more).
std::string refusal_message(const std::vector<Refusal>& refusals);

/// What the trusted side grades for a pull request.
struct PullRequestSubmission {
  std::filesystem::path repo_root;  ///< top-level folder of the trusted work tree
  std::string base;                 ///< the base commit's id
  std::string head;                 ///< the head commit's id
  std::string entry_path;           ///< repository path of the submission, "" when none changed
  bool deleted = false;             ///< the pull request deletes the submission
  std::filesystem::path copy;       ///< the copy: `into` / entry_path, when there is one
  std::size_t changed_files = 0;    ///< how many paths BASE...HEAD changes
};

/// Lists what `base`...`head` changes (from their merge base, git objects only: the work tree
/// is never read), checks it with check_pull_request_scope() and check_submission_files(),
/// and copies the submission's regular files out of `head` into `into` / its repository path
/// (files created anew, never through a link). `dir` is the submissions folder of the trusted
/// work tree (it may be missing there, when the base branch has no submission yet, but its
/// parent must exist); `roster` may be null.
/// \throws PullRequestRefused when something is refused; UsageError when `dir` is not in a git
///         work tree, a commit is unknown, the two share no history, or git fails.
PullRequestSubmission extract_pull_request(const std::filesystem::path& dir,
                                           const std::string& base, const std::string& head,
                                           const Roster* roster, const std::string& author,
                                           const std::filesystem::path& into);

}  // namespace grader
