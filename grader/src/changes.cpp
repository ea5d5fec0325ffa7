// The submissions a change touches, through `git`. git is spawned directly (posix_spawnp, no
// shell) with pipes for its output and a deadline, so that a hung git cannot hang the grader.

#include "grader/changes.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <system_error>

#include "grader/error.hpp"

extern char** environ;

namespace grader {
namespace {

namespace fs = std::filesystem;

// A file descriptor closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Makes a pipe whose ends are closed in the child on exec (dup2 onto 1 and 2 clears the flag
// for the copies the child keeps).
void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw UsageError(fmt::format("cannot make a pipe: {}",
                                 std::error_code(errno, std::system_category()).message()));
  }
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

// The environment of the child: ours, with git told never to prompt, never to take optional
// locks (other processes may be using the same checkout) and to speak plain English.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.rfind("GIT_OPTIONAL_LOCKS=", 0) == 0 || entry.rfind("GIT_TERMINAL_PROMPT=", 0) == 0 ||
        entry.rfind("LC_ALL=", 0) == 0) {
      continue;
    }
    env.push_back(entry);
  }
  env.emplace_back("GIT_OPTIONAL_LOCKS=0");
  env.emplace_back("GIT_TERMINAL_PROMPT=0");
  env.emplace_back("LC_ALL=C");
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// Runs git in `folder`; a failure (exit status, timeout) becomes a UsageError quoting git.
std::string git(const fs::path& folder, std::vector<std::string> args, const std::string& what) {
  args.insert(args.begin(), "git");
  const CommandOutput result = run_command(args, folder, kGitTimeoutMs);
  if (result.timed_out) {
    throw UsageError(fmt::format("{}: git did not finish within {} s (in \"{}\")", what,
                                 kGitTimeoutMs / 1000, folder.string()));
  }
  if (result.exit_code != 0) {
    std::string message = result.err;
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
      message.pop_back();
    }
    if (message.empty()) message = fmt::format("git exited with status {}", result.exit_code);
    throw UsageError(fmt::format("{}: {}", what, message));
  }
  return result.out;
}

// Splits git's -z output (NUL-terminated names).
std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

}  // namespace

CommandOutput run_command(const std::vector<std::string>& argv, const fs::path& cwd,
                          int timeout_ms) {
  if (argv.empty()) throw UsageError("run_command: no program given");
  Fd out_read, out_write, err_read, err_write;
  make_pipe(out_read, out_write);
  make_pipe(err_read, err_write);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  const std::string dir = cwd.string();
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());

  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment();
  std::vector<char*> c_args = c_strings(args);
  std::vector<char*> c_env = c_strings(env);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, c_args[0], &actions, nullptr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw UsageError(fmt::format("cannot run \"{}\" in \"{}\": {}", argv[0], dir,
                                 std::error_code(rc, std::system_category()).message()));
  }
  out_write.reset();
  err_write.reset();

  CommandOutput result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool out_open = true;
  bool err_open = true;
  char buffer[8192];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_read.get() : -1, POLLIN, 0},
                     {err_open ? err_read.get() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

std::optional<fs::path> repository_root(const fs::path& folder) {
  try {
    const CommandOutput result =
        run_command({"git", "rev-parse", "--show-toplevel"}, folder, kGitTimeoutMs);
    if (result.timed_out || result.exit_code != 0) return std::nullopt;
    std::string top = result.out;
    while (!top.empty() && (top.back() == '\n' || top.back() == '\r')) top.pop_back();
    if (top.empty()) return std::nullopt;
    return fs::path(top);
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

ChangedSubmissions changed_submissions(const fs::path& dir, const std::string& ref) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw UsageError(fmt::format("\"{}\": not a folder of submissions", dir.string()));
  }
  // A leading '-' would make git read the revision as an option.
  if (ref.empty() || ref.front() == '-') {
    throw UsageError(fmt::format("--changed-since: \"{}\" is not a git revision", ref));
  }
  ChangedSubmissions changes;
  std::string top =
      git(dir, {"rev-parse", "--show-toplevel"},
          fmt::format("--changed-since: \"{}\" is not in a git work tree", dir.string()));
  while (!top.empty() && (top.back() == '\n' || top.back() == '\r')) top.pop_back();
  changes.repo_root = top;

  const CommandOutput verify = run_command(
      {"git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"}, dir, kGitTimeoutMs);
  if (verify.timed_out || verify.exit_code != 0) {
    std::string detail = verify.err;
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    throw UsageError(fmt::format(
        "--changed-since: unknown git revision \"{}\"{} (in a shallow clone, fetch the history "
        "first, e.g. actions/checkout with fetch-depth: 0)",
        ref, detail.empty() ? "" : ": " + detail));
  }
  std::string commit = verify.out;
  while (!commit.empty() && commit.back() == '\n') commit.pop_back();

  // Committed, staged and unstaged changes of tracked files (paths relative to `dir`), then the
  // untracked files that are not ignored. --no-renames lists a rename's old and new name.
  const std::string what = fmt::format("--changed-since \"{}\"", ref);
  const std::string diff = git(
      dir, {"diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--", "."}, what);
  const std::string untracked =
      git(dir, {"ls-files", "--others", "--exclude-standard", "-z", "--", "."}, what);

  std::set<std::string> entries;
  for (const std::string& text : {diff, untracked}) {
    for (const std::string& name : split_nul(text)) {
      const std::string first = name.substr(0, name.find('/'));
      if (first.empty() || first.front() == '.') continue;
      entries.insert(first);
    }
  }
  // The same kinds of change in the rest of the repository, named from its root.
  std::string prefix = git(dir, {"rev-parse", "--show-prefix"}, what);
  while (!prefix.empty() && (prefix.back() == '\n' || prefix.back() == '\r')) prefix.pop_back();
  const fs::path root = changes.repo_root;
  const std::string all_diff =
      git(root, {"diff", "--name-only", "-z", "--no-renames", commit, "--", "."}, what);
  const std::string all_untracked =
      git(root, {"ls-files", "--others", "--exclude-standard", "-z", "--", "."}, what);
  std::set<std::string> outside;
  for (const std::string& text : {all_diff, all_untracked}) {
    for (const std::string& name : split_nul(text)) {
      // DIR at the repository's root (empty prefix) leaves nothing outside.
      if (!prefix.empty() && name.compare(0, prefix.size(), prefix) != 0) outside.insert(name);
    }
  }
  changes.outside.assign(outside.begin(), outside.end());

  for (const std::string& entry : entries) {
    const fs::path path = dir / entry;
    if (fs::exists(fs::symlink_status(path, ec))) {
      changes.present.push_back(path);
    } else {
      changes.deleted.push_back(path);
    }
  }
  return changes;
}

}  // namespace grader
