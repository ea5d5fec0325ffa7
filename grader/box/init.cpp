#include "init.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cgroup.hpp"
#include "error.hpp"
#include "files.hpp"
#include "handoff.hpp"
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

// Exec resets caught signals by itself; only ignored ones would reach the program. They are
// listed in /proc/self/status (one read instead of 64 calls); all are reset if it is unreadable.
void reset_signals() {
  std::uint64_t ignored = ~std::uint64_t{0};
  if (const auto status = read_text("/proc/self/status")) {
    const std::string key = "\nSigIgn:\t";
    if (const auto pos = status->find(key); pos != std::string::npos) {
      ignored = std::strtoull(status->c_str() + pos + key.size(), nullptr, 16);
    }
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if ((ignored >> (sig - 1)) & 1) sigaction(sig, &dfl, nullptr);  // EINVAL for KILL/STOP
  }
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

// Blocks until the supervisor's go; exits quietly if the supervisor died instead.
Go wait_for_go(int sync_read, std::vector<int>& cgroup_tasks) {
  Go go;
  if (!receive_go(sync_read, go, cgroup_tasks)) _exit(1);
  close(sync_read);
  return go;
}

int program_main(void* context) { run_program(*static_cast<const InitContext*>(context)); }

// Starts the program's process the way posix_spawn does: it shares init's memory until it
// execs (CLONE_VM | CLONE_VFORK), so no page tables are copied and neither side takes
// copy-on-write faults afterwards (~0.3 ms a run). Init is suspended meanwhile, so the two
// never use the heap at the same time; signal handlers, descriptors, limits and credentials
// are the child's own (no CLONE_SIGHAND, CLONE_FILES or CLONE_THREAD).
pid_t spawn_program(const InitContext& c) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer cannot follow a child onto a stack of its own (it reports false errors
  // there), so sanitizer builds pay for a plain fork.
  const pid_t forked = fork();
  if (forked < 0) fail("init", "start the program's process");
  if (forked == 0) run_program(c);
  return forked;
#endif
  constexpr std::size_t kStackBytes = 512 << 10;
  void* stack = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) fail("init", "map a stack for the program's process");
  const pid_t pid = clone(program_main, static_cast<char*>(stack) + kStackBytes,
                          CLONE_VM | CLONE_VFORK | SIGCHLD, const_cast<InitContext*>(&c));
  const int err = errno;
  munmap(stack, kStackBytes);
  if (pid < 0) fail("init", "start the program's process", err);
  return pid;
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

void run_init(const InitContext& context) {
  InitContext c = context;
  try {
    // Killing the supervisor kills the box. Closing init's copy of the supervisor's end of the
    // go socket makes a supervisor that died before this point read as EOF at the go.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail("init", "PR_SET_PDEATHSIG");
    std::vector<int> keep = {c.report_write, c.stdout_write, c.stderr_write, c.channel_write,
                             c.box_source,   c.copy_out,     c.network,      c.mount_namespace,
                             c.slot_lock,    c.sync_read};
    for (const ReadOnlyFile& file : c.read_only_files) keep.push_back(file.fd);
    close_all_but(keep);
    std::vector<int> cgroup_tasks;
    // A user namespace is useless until the supervisor has written its uid map (which it
    // cannot do once init is no longer dumpable: /proc/PID then belongs to root).
    if (c.identity.user_namespace) c.rlimits = wait_for_go(c.sync_read, cgroup_tasks).rlimits;
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail("init", "PR_SET_DUMPABLE");
    if (c.network >= 0) {
      if (setns(c.network, CLONE_NEWNET) != 0) fail("init", "join the slot's network namespace");
      close(c.network);
    }
    if (sethostname("box", 3) != 0) fail("init", "sethostname");
    if (c.mount_namespace >= 0) {
      // Born in the host's mount namespace: leave it before anything is mounted.
      if (setns(c.mount_namespace, CLONE_NEWNS) != 0) fail("init", "join the slot's root");
      close(c.mount_namespace);
      if (unshare(CLONE_NEWNS) != 0) fail("init", "copy the slot's root");
      if (chdir("/") != 0) fail("init", "chdir /");
      mount_run_parts(*c.options, c.identity, "");
    } else {
      setup_mounts(*c.options, c.identity);
    }
    const std::vector<std::string> mounted = attach_read_only_files(c.identity, c.read_only_files);
    // Installed once here, while the supervisor gets the cgroup ready, and inherited: the
    // program's process pays nothing for it. Nothing init does afterwards is on the deny-list.
    install_seccomp();
    if (!c.identity.user_namespace) c.rlimits = wait_for_go(c.sync_read, cgroup_tasks).rlimits;
    // From here on, everything the box does is charged to the slot: the copied files' tmpfs
    // pages, the program's memory, its processes and CPU time.
    attach_self(cgroup_tasks);
    fill_box(c.identity, c.box_source, mounted);
    close(c.box_source);

    const pid_t program = spawn_program(c);
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
      copy_out_of(box, c.options->copy_out_from, c.copy_out);
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
