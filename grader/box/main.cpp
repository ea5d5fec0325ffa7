// grader-box: runs one program in a box and writes what happened to a result record
// (docs/protocols.md section 1). main is the ordered checklist of the sandbox; each step lives
// in the file named after its Linux mechanism.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "cgroup.hpp"
#include "cgroup_hierarchy.hpp"
#include "error.hpp"
#include "files.hpp"
#include "handoff.hpp"
#include "identity.hpp"
#include "init.hpp"
#include "mounts.hpp"
#include "namespaces.hpp"
#include "options.hpp"
#include "probe.hpp"
#include "result.hpp"
#include "supervise.hpp"

namespace grader::box {
namespace {

struct Pipe {
  int read = -1;
  int write = -1;
};

Pipe make_pipe(const char* what) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) fail("pipes", std::string("cannot create the ") + what + " pipe");
  return {fds[0], fds[1]};
}

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// The box's output pipes and their files; write ends go to the program.
struct Outputs {
  std::vector<Capture> captures;
  int stdout_write = -1;
  int stderr_write = -1;
  int channel_write = -1;
};

Outputs open_outputs(const Options& o) {
  Outputs out;
  auto add = [&](const std::optional<std::string>& path, Stream stream, std::int64_t limit_kib,
                 int& write_end) {
    if (!path) return;
    const int file = open(path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (file < 0) fail("outputs", "cannot create \"" + *path + "\"");
    const Pipe p = make_pipe(to_string(stream));
    out.captures.push_back({stream, p.read, file, limit_kib << 10, 0});
    write_end = p.write;
  };
  add(o.stdout_file, Stream::Stdout, o.output_limit_kib, out.stdout_write);
  add(o.stderr_file, Stream::Stderr, o.output_limit_kib, out.stderr_write);
  add(o.channel_file, Stream::Channel, o.channel_limit_kib, out.channel_write);
  return out;
}

void close_outputs(Outputs& out) {
  close_fd(out.stdout_write);
  close_fd(out.stderr_write);
  close_fd(out.channel_write);
}

// One grader-box per slot at a time: the lock is held (also by init, which inherits it) until
// the box is gone, so whatever is found in the slot's cgroup is a crashed run's leftover.
// `--slot N` is where the search starts: when another grader (another class, another user of
// the machine) holds slot N, the next free slot is taken, so concurrent graders never share a
// uid or a cgroup. The slot actually used is written back into `o`.
constexpr int kSlotSearch = 256;

// Where the slots' locks and remembered state live: /run/grader-box for root, else a
// directory of the user's own.
std::string state_directory() {
  if (geteuid() == 0) return kRunDir;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  return std::string(runtime && *runtime ? runtime : "/tmp") + "/grader-box-" +
         std::to_string(geteuid());
}

int lock_slot(Options& o) {
  const std::string dir = state_directory();
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("slot", "cannot create " + dir);
  for (int k = 0; k < kSlotSearch; ++k) {
    const int slot = (o.slot + k) % 4096;
    const std::string path = dir + "/slot-" + std::to_string(slot) + ".lock";
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) fail("slot", "cannot open " + path);
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      o.slot = slot;
      return fd;
    }
    close(fd);
  }
  fail("slot", "no free slot among " + std::to_string(kSlotSearch) + " starting at " +
                   std::to_string(o.slot) + " (" + dir + ")");
}

std::optional<InitReport> take_reports(const Supervised& s) {
  std::optional<InitReport> finished;
  for (const InitReport& r : s.reports) {
    if (r.kind == InitReport::kError) throw BoxError(std::string(r.message));
    if (r.kind == InitReport::kFinished) finished = r;
  }
  return finished;
}

// SIGKILLs every child of this process (a subreaper, so orphans of the program are among
// them) without reaping any, so the watched pid stays for supervise() to collect.
void kill_children() {
  const std::string self = std::to_string(getpid());
  // CONFIG_PROC_CHILDREN lists them directly; otherwise scan every process's ppid.
  const auto children =
      read_text("/proc/self/task/" + std::to_string(syscall(SYS_gettid)) + "/children");
  if (children) {
    for (const char* p = children->c_str(); *p != '\0';) {
      char* end = nullptr;
      const long pid = std::strtol(p, &end, 10);
      if (end == p) break;
      if (pid > 0) kill(static_cast<pid_t>(pid), SIGKILL);
      p = end;
    }
    return;
  }
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    const auto stat = read_text(std::string("/proc/") + e->d_name + "/stat");
    if (!stat) continue;
    const auto paren = stat->rfind(')');
    if (paren == std::string::npos) continue;
    // After ") " come the state and the ppid.
    const auto ppid_start = stat->find(' ', paren + 2);
    if (ppid_start == std::string::npos) continue;
    if (stat->compare(ppid_start + 1, self.size() + 1, self + " ") == 0) {
      kill(std::atoi(e->d_name), SIGKILL);
    }
  }
  closedir(dir);
}

// Kills and reaps everything this subreaper has inherited (none mode, after the run). Orphans
// are reparented to us, so "no children left" means no descendants left.
void kill_adopted() {
  for (int round = 0; round < 50; ++round) {
    int status = 0;
    pid_t reaped = 0;
    while ((reaped = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
    }
    if (reaped < 0) return;  // ECHILD: nobody left
    kill_children();
    usleep(1000);
  }
}

RunResult run_full(const Options& o, int slot_lock, Mode mode) {
  RunResult result;
  result.isolation = "full";
  result.mode = to_string(mode);
  const Identity identity = box_identity(o, mode);
  const int box_source = open_dir("box-dir", o.box_dir);
  const int copy_out = o.copy_out ? open_dir("copy-out", *o.copy_out) : -1;

  std::string why;
  std::optional<Cgroup> cgroup = Cgroup::locate(o, state_directory(), why);  // make_cgroup
  result.cgroup = cgroup ? cgroup->describe() : "none";
  if (!cgroup) result.message = "no cgroup limits: " + why;

  Outputs out = open_outputs(o);
  int sync[2];  // the go (handoff.hpp); EOF at init's end means the supervisor died
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) != 0) {
    fail("pipes", "cannot create the sync socket");
  }
  const Pipe report = make_pipe("report");
  InitContext context;
  context.options = &o;
  context.identity = identity;
  context.slot_lock = slot_lock;
  context.sync_read = sync[1];
  context.report_write = report.write;
  context.stdout_write = out.stdout_write;
  context.stderr_write = out.stderr_write;
  context.channel_write = out.channel_write;
  context.box_source = box_source;
  context.copy_out = copy_out;
  // Root mode only: a user namespace's supervisor may not detach mounts, so there the files
  // are copied like the rest.
  if (!identity.user_namespace) {
    context.read_only_files = detach_read_only_files(box_source, o.read_only_files);
  }
  BoxNamespaces namespaces;
  namespaces.user_namespace = identity.user_namespace;
  if (!identity.user_namespace) {
    context.network = slot_network_namespace(o.slot);
    try {
      context.mount_namespace = slot_mount_namespace(o.slot, identity);
    } catch (const BoxError& e) {
      // Same box, only slower: init builds the whole root in a fresh mount namespace.
      result.message += std::string(result.message.empty() ? "" : "; ") +
                        "slot root unavailable, built for this run: " + e.what();
    }
  }
  namespaces.fresh_network = context.network < 0;
  namespaces.fresh_mounts = context.mount_namespace < 0;
  // v2: born in the cgroup, so it must be ready first. v1: init enters it after the go, and
  // the supervisor gets it ready while init builds the mounts.
  const bool attach_at_clone = cgroup && cgroup->attached_at_clone();
  if (attach_at_clone) cgroup->prepare_run(o);

  Watch watch;
  watch.start = std::chrono::steady_clock::now();
  const pid_t init = clone_box(box_namespaces(namespaces),
                               attach_at_clone ? cgroup->clone_into_fd() : -1, &watch.pidfd);
  if (init == 0) run_init(context);  // clone_init: the box's pid 1 continues there
  close_outputs(out);
  close(sync[1]);
  close(report.write);
  close(box_source);
  for (const ReadOnlyFile& file : context.read_only_files) close(file.fd);
  if (copy_out >= 0) close(copy_out);
  if (context.network >= 0) close(context.network);
  if (context.mount_namespace >= 0) close(context.mount_namespace);
  if (identity.user_namespace) map_user_namespace(init, identity);
  std::vector<int> tasks;
  if (cgroup && !attach_at_clone) {
    cgroup->prepare_run(o);
    tasks = cgroup->open_tasks_files();
  }
  Go go;
  // RLIMIT_NPROC only stands in for a missing pids cgroup (pids.max is what gets reported).
  go.rlimits = {cgroup && cgroup->limits_memory(), !(cgroup && cgroup->limits_processes())};
  send_go(sync[0], go, tasks);
  for (int fd : tasks) close(fd);
  close(sync[0]);

  watch.pid = init;
  watch.wall_time_ms = o.wall_time_ms;
  watch.cpu_limit_ns = o.cpu_time_ms * 1000000;
  if (cgroup) {
    const std::int64_t base = cgroup->baseline().cpu_ns;
    watch.cpu_used_ns = [&cgroup, base] { return cgroup->cpu_ns() - base; };
  }
  const int pidfd = watch.pidfd;
  watch.kill_box = [pidfd] { syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0); };
  const Supervised s = supervise(watch, out.captures, report.read);  // supervise
  close(report.read);
  close(watch.pidfd);

  Evidence evidence;
  evidence.overflow = s.overflow;
  evidence.wall_expired = s.wall_expired;
  evidence.cpu_expired = s.cpu_expired;
  if (cgroup) {
    const CgroupCounters after = cgroup->read_counters();
    evidence.oom_kills = after.oom_kills - cgroup->baseline().oom_kills;
    evidence.pids_max_events = after.pids_max_events - cgroup->baseline().pids_max_events;
    result.box_memory_peak_kib = cgroup->run_memory_peak_bytes(after) >> 10;
    result.cpu_ms = (after.cpu_ns - cgroup->baseline().cpu_ns) / 1000000;
    cgroup->kill_all();  // nothing outlives the run (init's exit already took the namespace)
  }
  const std::optional<InitReport> finished = take_reports(s);
  if (finished) {
    evidence.program_status = finished->wait_status;
    evidence.sigsys_seen = finished->sigsys_seen != 0;
    result.cpu_ms = finished->cpu_us / 1000;
    result.peak_memory_kib = finished->max_rss_kib;
  }
  result.wall_ms = s.wall_ms;
  decide_verdict(evidence, result);
  return result;
}

RunResult run_none(const Options& o) {
  RunResult result;
  result.isolation = "none";
  result.mode = "none";
  result.cgroup = "none";
  const int box_source = open_dir("box-dir", o.box_dir);
  const int copy_out = o.copy_out ? open_dir("copy-out", *o.copy_out) : -1;
  const char* tmp_env = std::getenv("TMPDIR");
  std::string work = std::string(tmp_env && *tmp_env ? tmp_env : "/tmp") + "/grader-box-XXXXXX";
  if (mkdtemp(work.data()) == nullptr) fail("workdir", "cannot create " + work);
  const int work_fd = open_dir("workdir", work);
  copy_tree("copy-in", box_source, work_fd, std::nullopt);
  close(box_source);

  Outputs out = open_outputs(o);
  const Pipe report = make_pipe("report");
  InitContext context;
  context.options = &o;
  context.namespaces = false;
  context.rlimits = {false, false};
  context.report_write = report.write;
  context.stdout_write = out.stdout_write;
  context.stderr_write = out.stderr_write;
  context.channel_write = out.channel_write;
  context.home = work;

  Watch watch;
  watch.start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) fail("fork", "cannot start the program");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (chdir(work.c_str()) != 0) {
      report_error(report.write, describe("workdir", "chdir " + work, errno).c_str());
      _exit(127);
    }
    run_program(context);
  }
  close_outputs(out);
  close(report.write);
  watch.pid = pid;
  watch.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (watch.pidfd < 0) fail("supervise", "pidfd_open");
  watch.wall_time_ms = o.wall_time_ms;
  watch.pipes_close_with_box = false;
  watch.kill_box = [pid] {
    kill(-pid, SIGKILL);  // the program's session (it called setsid)
    kill(pid, SIGKILL);
    kill_children();
  };
  const Supervised s = supervise(watch, out.captures, report.read);
  kill_adopted();
  close(report.read);
  close(watch.pidfd);
  for (const InitReport& r : s.reports) {
    if (r.kind == InitReport::kError) throw BoxError(std::string(r.message));
  }
  if (copy_out >= 0) {
    copy_out_of(work_fd, o.copy_out_from, copy_out);
    close(copy_out);
  }
  close(work_fd);
  remove_tree(AT_FDCWD, work);

  Evidence evidence;
  evidence.program_status = s.wait_status;
  evidence.overflow = s.overflow;
  evidence.wall_expired = s.wall_expired;
  const auto micros = [](const timeval& t) { return t.tv_sec * 1000000 + t.tv_usec; };
  result.cpu_ms = (micros(s.usage.ru_utime) + micros(s.usage.ru_stime)) / 1000;
  result.peak_memory_kib = s.usage.ru_maxrss;
  result.wall_ms = s.wall_ms;
  decide_verdict(evidence, result);
  return result;
}

// --release-slots: what idle slots (or only --slot N) keep between runs goes (their cgroup
// directories, pinned namespaces and remembered layout). A slot in use is left alone, and lock
// files stay: removing one another grader has open would let two graders lock the same slot.
int release_slots(Options& o) {
  const std::string dir = state_directory();
  int released = 0;
  int busy = 0;
  std::vector<std::string> left;
  const int first = o.slot_given ? o.slot : 0;
  const int last = o.slot_given ? o.slot : 4095;
  for (int slot = first; slot <= last; ++slot) {
    const std::string lock_path = dir + "/slot-" + std::to_string(slot) + ".lock";
    const int lock = open(lock_path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (lock < 0) continue;  // never used
    if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
      ++busy;
      close(lock);
      continue;
    }
    o.slot = slot;
    const SlotRelease cgroups = release_slot_cgroups(o, dir);
    left.insert(left.end(), cgroups.left.begin(), cgroups.left.end());
    if (geteuid() == 0) release_slot_namespaces(slot);
    ++released;
    close(lock);
  }
  std::printf("released %d slot(s)%s\n", released,
              busy > 0 ? (", " + std::to_string(busy) + " in use left alone").c_str() : "");
  for (const std::string& why : left) std::fprintf(stderr, "grader-box: %s\n", why.c_str());
  return left.empty() ? 0 : 1;
}

int run(int argc, char** argv) {
  Options options = parse_options(argc, argv);
  if (options.probe) {
    std::fputs(probe_report().c_str(), stdout);
    return 0;
  }
  if (options.mode) {
    std::fputs(mode_report().c_str(), stdout);
    return 0;
  }
  if (options.release_slots) return release_slots(options);
  signal(SIGPIPE, SIG_IGN);
  // Orphans of the box (none mode) come to us, never to the grader or the host's init.
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) fail("supervise", "PR_SET_CHILD_SUBREAPER");
  const int lock = lock_slot(options);
  RunResult result;
  if (options.isolation == Isolation::None) {
    result = run_none(options);
  } else if (const Mode mode = preferred_mode(); mode == Mode::UserNamespace) {
    result = run_full(options, lock, mode);
  } else {
    try {
      result = run_full(options, lock, Mode::Root);
    } catch (const CloneDenied& e) {
      // CAP_SYS_ADMIN, yet a seccomp or LSM policy refuses the namespaces: a user namespace
      // may still be allowed. Nothing of the program ran.
      result = run_full(options, lock, Mode::UserNamespace);
      result.message += std::string(result.message.empty() ? "" : "; ") + "root mode refused (" +
                        e.what() + "), user namespace used";
    }
  }
  write_result(options.result_file, result);
  close(lock);
  return 0;
}

}  // namespace
}  // namespace grader::box

int main(int argc, char** argv) {
  using namespace grader::box;
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    if (std::strlen(e.what()) == 0) {
      std::fputs(usage_text(), stdout);
      return 0;
    }
    std::fprintf(stderr, "grader-box: error: usage: %s\n%s", e.what(), usage_text());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "grader-box: error: %s\n", e.what());
    return 1;
  }
}
