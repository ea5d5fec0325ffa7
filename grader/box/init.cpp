#include "init.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "error.hpp"
#include "files.hpp"
#include "mounts.hpp"
#include "seccomp_filter.hpp"

namespace grader::box {
namespace {

std::int64_t micros(const timeval& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000 + t.tv_usec;
}

void write_report(int fd, const InitReport& report) {
  // A short write cannot happen below PIPE_BUF; a dead supervisor leaves nobody to tell.
  [[maybe_unused]] const ssize_t n = write(fd, &report, sizeof report);
}

// Environment of the program: the fixed three, then --env (a later NAME replaces an earlier).
std::vector<std::string> program_environment(const Options& options, const std::string& home) {
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=" + home, "LANG=C.UTF-8"};
  for (const std::string& entry : options.env) {
    const std::string name = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (std::string& existing : env) {
      if (existing.rfind(name, 0) == 0) {
        existing = entry;
        replaced = true;
      }
    }
    if (!replaced) env.push_back(entry);
  }
  return env;
}

// PROGRAM as given when it has a slash, else the first of /usr/bin and /bin that has it.
std::string resolve_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  for (const char* dir : {"/usr/bin/", "/bin/"}) {
    const std::string candidate = dir + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "/usr/bin/" + program;
}

void reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);  // EINVAL for KILL/STOP
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Puts `sources` on fds 0..N-1 (-1 leaves that fd closed) whatever numbers they had.
void arrange_fds(const std::vector<int>& sources) {
  std::vector<int> high;
  for (int fd : sources) {
    high.push_back(fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 16));
    if (fd >= 0 && high.back() < 0) fail("fds", "dup");
  }
  for (std::size_t i = 0; i < high.size(); ++i) {
    const int target = static_cast<int>(i);
    if (high[i] < 0) {
      close(target);
    } else if (dup2(high[i], target) != target) {
      fail("fds", "dup2 to " + std::to_string(target));
    }
  }
  // Everything else goes at exec; the report pipe stays usable until then.
  if (syscall(SYS_close_range, sources.size(), ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    fail("fds", "close_range");
  }
}

// Closes every descriptor inherited from the supervisor except 0-2 and `keep` (its output
// files, the caller's directories and pipe ends init has no use for).
void close_all_but(std::vector<int> keep) {
  keep.push_back(2);
  std::sort(keep.begin(), keep.end());
  unsigned int next = 3;
  for (int fd : keep) {
    if (fd < static_cast<int>(next)) continue;
    if (static_cast<unsigned int>(fd) > next) {
      syscall(SYS_close_range, next, static_cast<unsigned int>(fd) - 1, 0);
    }
    next = static_cast<unsigned int>(fd) + 1;
  }
  syscall(SYS_close_range, next, ~0U, 0);
}

}  // namespace

void report_error(int report_write, const char* message) {
  InitReport report;
  report.kind = InitReport::kError;
  std::strncpy(report.message, message, sizeof report.message - 1);
  write_report(report_write, report);
}

void run_program(const InitContext& c) {
  try {
    reset_signals();
    const int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (dev_null < 0) fail("fds", "open /dev/null");
    arrange_fds({dev_null, c.stdout_write < 0 ? dev_null : c.stdout_write,
                 c.stderr_write < 0 ? dev_null : c.stderr_write, c.channel_write});
    if (c.namespaces) {
      apply_rlimits(*c.options, c.rlimits);
      drop_identity(c.identity);
      install_seccomp(receive_filter(c.filter_read));
    } else {
      if (setsid() < 0) fail("identity", "setsid");
      apply_rlimits(*c.options, c.rlimits);
    }
    const std::vector<std::string> env_strings = program_environment(*c.options, c.home);
    std::vector<char*> argv;
    std::vector<char*> envp;
    for (const std::string& arg : c.options->command)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (const std::string& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    const std::string path = resolve_program(c.options->command.front());
    execve(path.c_str(), argv.data(), envp.data());
    fail("exec", "cannot run \"" + path + "\"");
  } catch (const std::exception& e) {
    report_error(c.report_write, e.what());
  }
  _exit(127);
}

void run_init(const InitContext& c) {
  try {
    // Killing the supervisor kills the box; the sync byte closes the race with its death.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail("init", "PR_SET_PDEATHSIG");
    char go = 0;
    if (read(c.sync_read, &go, 1) != 1) _exit(1);
    close_all_but({c.report_write, c.stdout_write, c.stderr_write, c.channel_write, c.box_source,
                   c.copy_out, c.network, c.filter_read, c.slot_lock});
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail("init", "PR_SET_DUMPABLE");
    if (c.network >= 0) {
      if (setns(c.network, CLONE_NEWNET) != 0) fail("init", "join the slot's network namespace");
      close(c.network);
    }
    if (sethostname("box", 3) != 0) fail("init", "sethostname");
    setup_mounts(*c.options, c.identity, c.box_source);
    close(c.box_source);

    const pid_t program = fork();
    if (program < 0) fail("init", "fork the program");
    if (program == 0) run_program(c);
    for (int fd : {c.stdout_write, c.stderr_write, c.channel_write}) {
      if (fd >= 0) close(fd);
    }

    // Reap whatever the namespace hands us until pid 2 itself has ended.
    InitReport report;
    for (;;) {
      int status = 0;
      rusage usage{};
      const pid_t pid = wait4(-1, &status, __WALL, &usage);
      if (pid < 0) {
        if (errno == EINTR) continue;
        fail("init", "wait4");
      }
      if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) report.sigsys_seen = 1;
      if (pid == program) {
        report.wait_status = status;
        break;
      }
    }
    // Background children and daemons do not outlive the program.
    kill(-1, SIGKILL);
    for (;;) {
      int status = 0;
      const pid_t pid = waitpid(-1, &status, __WALL);
      if (pid < 0 && errno == EINTR) continue;
      if (pid < 0) break;  // ECHILD: the box is empty
      if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) report.sigsys_seen = 1;
    }
    // Nothing in the box runs any more, so nothing can swap a file for a link mid-copy.
    if (c.copy_out >= 0) {
      const int box = open("/box", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (box < 0) fail("copy-out", "open /box");
      copy_tree("copy-out", box, c.copy_out, std::nullopt);
      close(box);
    }
    rusage all{};
    getrusage(RUSAGE_CHILDREN, &all);
    report.cpu_us = micros(all.ru_utime) + micros(all.ru_stime);
    report.max_rss_kib = all.ru_maxrss;
    write_report(c.report_write, report);
    _exit(0);
  } catch (const std::exception& e) {
    report_error(c.report_write, e.what());
  }
  _exit(1);
}

}  // namespace grader::box
