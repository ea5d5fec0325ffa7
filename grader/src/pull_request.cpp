// The trusted side of pull-request grading. Everything the pull request holds is data here: its
// paths are compared as strings, its files are read with `git cat-file` and written anew under a
// fresh folder, and nothing of it is checked out, executed or handed to git as a pathspec.

#include "grader/pull_request.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <regex>
#include <sstream>
#include <system_error>

#include "files.hpp"
#include "grader/changes.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::string without_newline(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

// GitHub's rule for user names: letters, digits and single hyphens, at most 39 characters.
bool valid_login(const std::string& login) {
  static const std::regex pattern("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$");
  return std::regex_match(login, pattern);
}

// The id of a submission entry as the report names it: a folder's name, or a file's name
// without its extension.
std::string entry_id(const std::string& entry, bool is_folder) {
  if (is_folder) return entry;
  const std::size_t dot = entry.rfind('.');
  return dot != std::string::npos && dot > 0 ? entry.substr(0, dot) : entry;
}

// Runs git in `folder`; a failure becomes a UsageError that quotes git's message.
std::string git(const fs::path& folder, std::vector<std::string> args, const std::string& what) {
  args.insert(args.begin(), "git");
  const CommandOutput result = run_command(args, folder, kGitTimeoutMs);
  if (result.timed_out) {
    throw UsageError(fmt::format("{}: git did not finish within {} s", what, kGitTimeoutMs / 1000));
  }
  if (result.exit_code != 0) {
    std::string message = without_newline(result.err);
    if (message.empty()) message = fmt::format("git exited with status {}", result.exit_code);
    throw UsageError(fmt::format("{}: {}", what, message));
  }
  return result.out;
}

// The full id of commit `rev`, or a UsageError naming the flag it came from.
std::string commit_id(const fs::path& root, const std::string& rev, const std::string& flag) {
  if (rev.empty() || rev.front() == '-') {
    throw UsageError(fmt::format("{}: \"{}\" is not a git revision", flag, rev));
  }
  const CommandOutput verify = run_command(
      {"git", "rev-parse", "--verify", "--quiet", rev + "^{commit}"}, root, kGitTimeoutMs);
  if (verify.timed_out || verify.exit_code != 0) {
    throw UsageError(fmt::format(
        "{}: unknown git revision \"{}\" (fetch the pull request's commits first, e.g. git fetch "
        "origin refs/pull/N/head)",
        flag, rev));
  }
  return without_newline(verify.out);
}

// Writes `content` to `root`/`relative`, making each folder on the way and refusing to go
// through anything that already exists: `root` is fresh, so nothing there is a link.
void write_new_file(const fs::path& root, const std::string& relative, const std::string& content) {
  const std::vector<std::string> parts = split(relative, '/');
  fs::path at = root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    at /= parts[i];
    std::error_code ec;
    const auto status = fs::symlink_status(at, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
      throw UsageError(fmt::format("pull request: {:?} is a file and a folder", relative));
    }
    if (!fs::exists(status)) fs::create_directory(at);
  }
  at /= parts.back();
  const int fd = ::open(at.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw UsageError(fmt::format("pull request: cannot write {:?}: {}", relative,
                                 std::error_code(errno, std::system_category()).message()));
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      throw std::system_error(error, std::system_category(), "write " + at.string());
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace

const std::vector<std::string>& reserved_submission_names() {
  static const std::vector<std::string> names = {".grader", "harness.cpp", "harness.py",
                                                 "harness.o", "bindings.inc"};
  return names;
}

std::vector<ChangedPath> parse_raw_diff(const std::string& text) {
  std::vector<ChangedPath> changes;
  const std::vector<std::string> fields = split(text, '\0');
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty() && i + 1 == fields.size()) break;  // after the last NUL
    // ":old_mode new_mode old_id new_id status", then the path.
    const std::vector<std::string> header = split(fields[i], ' ');
    if (header.size() != 5 || header[0].size() != 7 || header[0][0] != ':' || header[4].empty() ||
        i + 1 >= fields.size() || fields[i + 1].empty()) {
      throw UsageError(fmt::format("pull request: unexpected output of git diff: {:?}",
                                   fields[i].substr(0, 200)));
    }
    changes.push_back({header[4][0], header[0].substr(1), header[1], fields[i + 1]});
    ++i;
  }
  return changes;
}

std::vector<TreeFile> parse_ls_tree(const std::string& text) {
  std::vector<TreeFile> files;
  for (const std::string& record : split(text, '\0')) {
    if (record.empty()) continue;
    // "mode type object size\tpath"; the size is padded with spaces, "-" for a submodule.
    const std::size_t tab = record.find('\t');
    std::istringstream head(tab == std::string::npos ? "" : record.substr(0, tab));
    TreeFile file;
    std::string size;
    if (!(head >> file.mode >> file.type >> file.object >> size) || tab + 1 >= record.size()) {
      throw UsageError(fmt::format("pull request: unexpected output of git ls-tree: {:?}",
                                   record.substr(0, 200)));
    }
    if (size != "-") {
      if (size.find_first_not_of("0123456789") != std::string::npos) {
        throw UsageError(fmt::format("pull request: unexpected size in git ls-tree: {:?}", size));
      }
      file.size = std::stoull(size);
    }
    file.path = record.substr(tab + 1);
    files.push_back(std::move(file));
  }
  return files;
}

Roster parse_roster(const std::string& text, const fs::path& file) {
  Roster roster;
  roster.file = file;
  const std::vector<std::string> lines = split(text, '\n');
  bool first = true;
  for (std::size_t number = 1; number <= lines.size(); ++number) {
    const std::string line = trim(lines[number - 1]);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> fields = split(line, ',');
    const bool header = first && fields.size() == 2 && lower(trim(fields[0])) == "login" &&
                        lower(trim(fields[1])) == "submission";
    first = false;
    if (header) continue;
    const std::string login = fields.size() == 2 ? trim(fields[0]) : "";
    const std::string id = fields.size() == 2 ? trim(fields[1]) : "";
    if (login.empty() || id.empty()) {
      throw UsageError(fmt::format("{}:{}: expected \"login,submission\", got {:?}", file.string(),
                                   number, line));
    }
    if (!valid_login(login)) {
      throw UsageError(
          fmt::format("{}:{}: {:?} is not a GitHub login", file.string(), number, login));
    }
    if (id.front() == '.' || id.find('/') != std::string::npos) {
      throw UsageError(
          fmt::format("{}:{}: {:?} is not a submission's name (a folder name of "
                      "the submissions folder, without '/', not starting with '.')",
                      file.string(), number, id));
    }
    roster.ids_by_login[lower(login)].insert(id);
  }
  return roster;
}

Roster load_roster(const fs::path& file) {
  const std::optional<std::string> text = detail::read_text(file);
  if (!text) throw UsageError(fmt::format("--roster: cannot read \"{}\"", file.string()));
  return parse_roster(*text, file);
}

PullRequestScope check_pull_request_scope(const std::vector<ChangedPath>& changes,
                                          const std::string& dir, const Roster* roster,
                                          const std::string& author) {
  PullRequestScope scope;
  const std::string prefix = dir + "/";
  // Entry name -> its changed paths, and whether it is a folder (a path goes below it).
  std::map<std::string, std::vector<std::string>> entries;
  std::map<std::string, bool> folder;
  for (const ChangedPath& change : changes) {
    if (change.path.compare(0, prefix.size(), prefix) != 0) {
      scope.refusals.push_back({change.path, fmt::format("outside {}", prefix)});
      continue;
    }
    const std::string rest = change.path.substr(prefix.size());
    const std::string entry = rest.substr(0, rest.find('/'));
    if (entry.empty() || entry.front() == '.') {
      scope.refusals.push_back(
          {change.path, "a file of the course (its name starts with '.'), not a submission"});
      continue;
    }
    entries[entry].push_back(change.path);
    folder[entry] = folder[entry] || rest.find('/') != std::string::npos;
  }
  if (roster != nullptr) {
    const auto mine = roster->ids_by_login.find(lower(author));
    if (mine == roster->ids_by_login.end()) {
      scope.refusals.push_back(
          {"", fmt::format("the author {:?} is not in the roster {}, so no submission of {} is "
                           "theirs to change",
                           author, roster->file.string(), prefix)});
      entries.clear();
    }
    for (auto it = entries.begin(); mine != roster->ids_by_login.end() && it != entries.end();) {
      if (mine->second.count(entry_id(it->first, folder[it->first])) != 0) {
        ++it;
        continue;
      }
      for (const std::string& path : it->second) {
        scope.refusals.push_back(
            {path, fmt::format("in {:?}, which the roster {} does not give to {:?} (theirs: {})",
                               prefix + it->first, roster->file.string(), author,
                               fmt::join(mine->second, ", "))});
      }
      it = entries.erase(it);
    }
  }
  if (entries.size() > 1) {
    std::vector<std::string> names;
    // Quoted: a name may hold any character, a line break included.
    for (const auto& [entry, paths] : entries) names.push_back(fmt::format("{:?}", prefix + entry));
    for (const auto& [entry, paths] : entries) {
      for (const std::string& path : paths) {
        scope.refusals.push_back({path, fmt::format("one of {} submissions changed ({})",
                                                    entries.size(), fmt::join(names, ", "))});
      }
    }
  } else if (entries.size() == 1) {
    scope.entry = entries.begin()->first;
  }
  return scope;
}

std::vector<Refusal> check_submission_files(const std::vector<TreeFile>& files,
                                            const std::string& entry_path) {
  std::vector<Refusal> refusals;
  std::uintmax_t bytes = 0;
  const std::vector<std::string>& reserved = reserved_submission_names();
  for (const TreeFile& file : files) {
    const std::string full = file.path.empty() ? entry_path : entry_path + "/" + file.path;
    bytes += file.size;
    if (file.mode == "120000") {
      refusals.push_back({full, "a symbolic link"});
      continue;
    }
    if (file.mode == "160000" || file.type == "commit") {
      refusals.push_back({full, "a submodule (a commit of another repository)"});
      continue;
    }
    if ((file.mode != "100644" && file.mode != "100755") || file.type != "blob") {
      refusals.push_back(
          {full, fmt::format("git mode {} ({}), not a regular file", file.mode, file.type)});
      continue;
    }
    // The entry's own name counts too: a single-file submission "harness.py" is refused.
    const std::string name = entry_path.substr(entry_path.rfind('/') + 1);
    std::vector<std::string> parts = split(file.path, '/');
    if (file.path.empty()) parts.clear();
    parts.insert(parts.begin(), name);
    for (const std::string& part : parts) {
      const std::string low = lower(part);
      if (part.empty() || part == "." || part == ".." || low == ".git") {
        refusals.push_back({full, fmt::format("{:?} is not a valid part of a path", part)});
        break;
      }
      if (std::find(reserved.begin(), reserved.end(), low) != reserved.end()) {
        refusals.push_back(
            {full, fmt::format("named like the grader's own {:?}; rename it", part)});
        break;
      }
    }
  }
  if (files.size() > kMaxPullRequestFiles) {
    refusals.push_back({entry_path, fmt::format("{} files; a submission may hold at most {}",
                                                files.size(), kMaxPullRequestFiles)});
  }
  if (bytes > kMaxPullRequestBytes) {
    refusals.push_back({entry_path, fmt::format("{} bytes in all; a submission may hold at most {}",
                                                bytes, kMaxPullRequestBytes)});
  }
  return refusals;
}

std::string refusal_message(const std::vector<Refusal>& refusals) {
  std::string message = fmt::format(
      "pull request refused: it may change one submission, made of regular files, and nothing "
      "else; {} problem{}:",
      refusals.size(), refusals.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < refusals.size() && i < kMaxListedRefusals; ++i) {
    const Refusal& r = refusals[i];
    message += r.path.empty() ? fmt::format("\n  {}", r.reason)
                              : fmt::format("\n  {:?}: {}", r.path, r.reason);
  }
  if (refusals.size() > kMaxListedRefusals) {
    message += fmt::format("\n  ... and {} more", refusals.size() - kMaxListedRefusals);
  }
  return message;
}

PullRequestSubmission extract_pull_request(const fs::path& dir, const std::string& base,
                                           const std::string& head, const Roster* roster,
                                           const std::string& author, const fs::path& into) {
  // A course whose base branch has no submission yet has no folder of submissions: its parent
  // then says where in the repository the folder goes.
  std::error_code ec;
  fs::path probe = dir;
  std::string missing;
  if (!fs::is_directory(dir, ec)) {
    probe = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
    missing = dir.filename().string();
    if (!fs::is_directory(probe, ec) || missing.empty() || missing == "." || missing == "..") {
      throw UsageError(fmt::format("\"{}\": not a folder of submissions", dir.string()));
    }
  }
  PullRequestSubmission result;
  const std::string where =
      fmt::format("--pull-request: \"{}\" is not in a git work tree", dir.string());
  result.repo_root = without_newline(git(probe, {"rev-parse", "--show-toplevel"}, where));
  std::string dir_path = without_newline(git(probe, {"rev-parse", "--show-prefix"}, where));
  dir_path += missing;
  while (!dir_path.empty() && dir_path.back() == '/') dir_path.pop_back();
  if (dir_path.empty()) {
    throw UsageError(
        fmt::format("--pull-request: \"{}\" is the repository's root; give the "
                    "folder of submissions inside it (e.g. submissions)",
                    dir.string()));
  }
  const fs::path& root = result.repo_root;
  result.base = commit_id(root, base, "--changed-since");
  result.head = commit_id(root, head, "--pull-request");

  // From the merge base, as GitHub shows a pull request; renames as a deletion and an addition.
  const std::string diff =
      git(root,
          {"diff", "--raw", "-z", "--no-renames", "--no-ext-diff", "--ignore-submodules=none",
           result.base + "..." + result.head},
          fmt::format("--pull-request: cannot compare {} with {}", base, head));
  const std::vector<ChangedPath> changes = parse_raw_diff(diff);
  result.changed_files = changes.size();
  if (!author.empty() && !valid_login(author)) {
    throw UsageError(fmt::format("--author: {:?} is not a GitHub login", author));
  }
  const PullRequestScope scope = check_pull_request_scope(changes, dir_path, roster, author);
  std::vector<Refusal> refusals = scope.refusals;
  if (!scope.entry.empty()) {
    result.entry_path = dir_path + "/" + scope.entry;
    // The folder of submissions in the head commit, then the entry in it, by exact name.
    const CommandOutput tree =
        run_command({"git", "rev-parse", "--verify", "--quiet", result.head + ":" + dir_path}, root,
                    kGitTimeoutMs);
    std::vector<TreeFile> listing;
    if (tree.exit_code == 0 && !tree.timed_out) {
      listing = parse_ls_tree(git(root, {"ls-tree", "-z", "-l", without_newline(tree.out)},
                                  "--pull-request: cannot list " + dir_path));
    }
    const auto it = std::find_if(listing.begin(), listing.end(),
                                 [&](const TreeFile& f) { return f.path == scope.entry; });
    if (it == listing.end()) {
      result.deleted = true;
    } else {
      std::vector<TreeFile> files;
      if (it->type == "tree") {
        files = parse_ls_tree(git(root, {"ls-tree", "-r", "-z", "-l", it->object},
                                  "--pull-request: cannot list " + result.entry_path));
      } else {
        files.push_back(*it);
        files.back().path.clear();
      }
      // A folder with no file left (git keeps no empty folders) is as good as deleted.
      result.deleted = files.empty();
      const std::vector<Refusal> more = check_submission_files(files, result.entry_path);
      refusals.insert(refusals.end(), more.begin(), more.end());
      if (refusals.empty()) {
        for (const TreeFile& file : files) {
          const std::string content =
              git(root, {"cat-file", "blob", file.object},
                  fmt::format("--pull-request: cannot read {:?}", file.path));
          const std::string relative =
              file.path.empty() ? result.entry_path : result.entry_path + "/" + file.path;
          write_new_file(into, relative, content);
        }
        if (!files.empty()) result.copy = into / result.entry_path;
      }
    }
  }
  if (!refusals.empty()) throw PullRequestRefused(refusal_message(refusals), refusals);
  return result;
}

}  // namespace grader
