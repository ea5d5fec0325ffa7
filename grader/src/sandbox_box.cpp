// The only user of Boost.Process: spawns grader-box for each run and reads what it wrote. The
// launcher is asked its mode once, through run_command (posix_spawn).

#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/process.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "files.hpp"
#include "grader/changes.hpp"
#include "grader/error.hpp"
#include "grader/hash.hpp"
#include "grader/sandbox.hpp"

namespace grader {
namespace {

namespace bp = boost::process;
namespace fs = std::filesystem;

// The launcher enforces the wall clock itself; this backstop only guards against a launcher
// that hangs, so it is generous.
constexpr std::int64_t kBackstopSlackMs = 10000;
// `grader-box --mode` answers in milliseconds; a launcher that hangs must not hang the grader.
constexpr int kProbeTimeoutMs = 30000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// What `grader-box --mode` prints: key=value lines.
std::string mode_field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return {};
}

// The mode a full-isolation run will use on this machine, asked of the launcher once. Spawned
// with posix_spawn: a fork would copy the grader's page tables while its main thread loads
// the exercise, and stall it.
std::string launcher_mode(const fs::path& launcher, bool& cgroup_limits) {
  CommandOutput probe;
  try {
    probe = run_command({launcher.string(), "--mode"}, {}, kProbeTimeoutMs);
  } catch (const std::exception& e) {
    throw SandboxError(fmt::format("cannot run {} --mode: {}", launcher.string(), e.what()));
  }
  if (probe.timed_out) {
    throw SandboxError(
        fmt::format("{} --mode did not answer within {} ms", launcher.string(), kProbeTimeoutMs));
  }
  cgroup_limits = mode_field(probe.out, "cgroup_limits") == "1";
  return mode_field(probe.out, "mode");
}

// What decides the probe's answer, as far as a process can see it cheaply: this boot, the
// launcher's file, who we are and with which capabilities and filters, our namespaces and
// cgroup. Equal keys usually mean an equal answer; confirm() checks that they did.
std::string memo_key(const fs::path& launcher) {
  Sha256 hash;
  hash.update(detail::read_text("/proc/sys/kernel/random/boot_id").value_or("no boot id"));
  struct stat info {};
  if (::stat(launcher.c_str(), &info) == 0) {
    hash.update(fmt::format("{} {} {} {} {}.{} {}.{}\n", launcher.string(), info.st_dev,
                            info.st_ino, info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec,
                            info.st_ctim.tv_sec, info.st_ctim.tv_nsec));
  }
  hash.update(fmt::format("{} {}\n", ::geteuid(), ::getegid()));
  std::istringstream status(detail::read_text("/proc/self/status").value_or(""));
  for (std::string line; std::getline(status, line);) {
    for (const char* field : {"Cap", "NoNewPrivs:", "Seccomp"}) {
      if (line.rfind(field, 0) == 0) hash.update(line + "\n");
    }
  }
  for (const char* ns : {"/proc/self/ns/user", "/proc/self/ns/mnt", "/proc/self/ns/cgroup"}) {
    std::error_code ec;
    hash.update(fs::read_symlink(ns, ec).string() + "\n");
  }
  hash.update(detail::read_text("/proc/self/cgroup").value_or(""));
  hash.update(detail::read_text("/proc/sys/user/max_user_namespaces").value_or(""));
  return hash.hex_digest().substr(0, 32);
}

class BoxSandbox final : public Sandbox {
 public:
  // The launcher's mode is asked at once but waited for only when first needed, so that the
  // probe (a process start, about 3 ms) overlaps loading the exercise and the cache. With a
  // memo folder, what the probe found last time in the same circumstances (see memo_key) is
  // taken as the answer until confirm() compares it with this run's probe.
  BoxSandbox(fs::path launcher, Isolation isolation, const fs::path& memo_dir)
      : launcher_(std::move(launcher)), isolation_(isolation) {
    if (isolation_ == Isolation::None) return;
    probe_ = std::async(std::launch::async, [launcher = launcher_] {
      Probe probe;
      try {
        probe.mode = launcher_mode(launcher, probe.cgroup_limits);
      } catch (...) {
        probe.failure = std::current_exception();
      }
      return probe;
    });
    if (!memo_dir.empty()) {
      memo_file_ = memo_dir / ("probe-" + memo_key(launcher_));
      if (const std::optional<std::string> text = detail::read_text(memo_file_)) {
        Probe memo;
        memo.mode = mode_field(*text, "mode");
        memo.cgroup_limits = mode_field(*text, "cgroup_limits") == "1";
        if (memo.mode == "root" || memo.mode == "user-namespace") predicted_ = memo;
      }
    }
  }

  // Waits for the probe; \throws SandboxUnavailableError when no box can be built here, or
  // SandboxError when the launcher could not be asked.
  void settle() const {
    if (isolation_ == Isolation::None) return;
    std::call_once(settled_, [this] {
      Probe probe = probe_.get();
      failure_ = probe.failure;
      mode_ = probe.mode;
      cgroup_limits_ = probe.cgroup_limits;
      if (!failure_ && mode_ != "root" && mode_ != "user-namespace") {
        failure_ = std::make_exception_ptr(SandboxUnavailableError(
            "no sandbox can be built for student code here: neither root mode (CAP_SYS_ADMIN) "
            "nor a user namespace is allowed to this process; 'grader doctor' names "
            "the fix for this machine, and --unsafe-no-sandbox grades without isolation (never "
            "for untrusted code)"));
      }
      description_ = describe_probe(mode_, cgroup_limits_);
      remember();
    });
    if (failure_) std::rethrow_exception(failure_);
  }

  // With a memo: whether this run's probe found what the memo said. When it did not,
  // description() gives the probe's answer from now on, and whatever was computed with the
  // memo's (an exercise hash, a cache key) must be computed again.
  bool confirm() override {
    if (isolation_ == Isolation::None) return true;
    if (!predicted_) {
      settle();
      return true;
    }
    try {
      settle();
    } catch (const std::exception&) {
      missed_ = true;  // the next attempt, without the memo, reports the failure
      return false;
    }
    if (!memo_held()) missed_ = true;
    return !missed_;
  }

  RunOutcome run(const RunRequest& request) override {
    // The launcher chooses its mode itself; the probe only has to be waited for when there is
    // no memo to stand for it (or when a launch fails, below).
    if (!predicted_ || missed_) settle();
    const fs::path stdout_file = request.io_dir / "stdout";
    const fs::path stderr_file = request.io_dir / "stderr";
    const fs::path channel_file = request.io_dir / "channel";
    const fs::path result_file = request.io_dir / "result";
    const fs::path launcher_log = request.io_dir / "launcher.log";
    std::error_code ec;
    for (const auto& path : {stdout_file, stderr_file, channel_file, result_file}) {
      fs::remove(path, ec);
    }

    const SandboxLimits& l = request.limits;
    std::vector<std::string> args = {
        "--box-dir",
        request.box_dir.string(),
        "--stdout",
        stdout_file.string(),
        "--stderr",
        stderr_file.string(),
        "--result",
        result_file.string(),
        "--cpu-time-ms",
        std::to_string(l.cpu_time_ms),
        "--wall-time-ms",
        std::to_string(l.wall_time_ms),
        "--memory-mib",
        std::to_string(l.memory_mib),
        "--output-limit-kib",
        std::to_string(l.output_limit_kib),
        "--channel-limit-kib",
        std::to_string(l.channel_limit_kib),
        "--file-size-kib",
        std::to_string(l.file_size_kib),
        "--box-size-mib",
        std::to_string(l.box_size_mib),
        "--max-processes",
        std::to_string(l.max_processes),
        "--open-files",
        std::to_string(l.open_files),
        "--slot",
        std::to_string(request.slot),
        "--isolation",
        isolation_ == Isolation::Full ? "full" : "none",
    };
    if (request.channel) {
      args.insert(args.end(), {"--channel", channel_file.string()});
    }
    if (request.copy_out_dir) {
      args.insert(args.end(), {"--copy-out", request.copy_out_dir->string()});
      if (request.copy_out_from) {
        args.insert(args.end(), {"--copy-out-from", request.copy_out_from->generic_string()});
      }
    }
    for (const auto& file : request.read_only_files) {
      args.insert(args.end(), {"--read-only-file", file.generic_string()});
    }
    for (const auto& entry : request.env) args.insert(args.end(), {"--env", entry});
    args.push_back("--");
    args.insert(args.end(), request.argv.begin(), request.argv.end());

    int exit_code = -1;
    bool backstop_fired = false;
    try {
      bp::child child(launcher_.string(), bp::args(args),
                      bp::std_in<bp::null, bp::std_out> bp::null,
                      bp::std_err > launcher_log.string());
      const pid_t pid = child.id();
      std::mutex mutex;
      std::condition_variable done_cv;
      bool done = false;
      // Boost's wait_for swaps the process-wide SIGCHLD handler, which is unsafe with parallel
      // workers; a plain wait plus a watchdog thread is not.
      std::thread watchdog([&] {
        std::unique_lock<std::mutex> lock(mutex);
        const auto limit = std::chrono::milliseconds(l.wall_time_ms + kBackstopSlackMs);
        if (!done_cv.wait_for(lock, limit, [&] { return done; })) {
          backstop_fired = true;
          ::kill(pid, SIGKILL);  // not yet reaped, so the pid is still ours
        }
      });
      child.wait();
      {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
      }
      done_cv.notify_one();
      watchdog.join();
      exit_code = child.exit_code();
    } catch (const bp::process_error& e) {
      throw SandboxError(fmt::format("cannot run {}: {}", launcher_.string(), e.what()));
    }
    if (backstop_fired) {
      throw SandboxError(fmt::format("{} did not finish within {} ms of its wall limit; killed",
                                     launcher_.string(), kBackstopSlackMs));
    }
    if (exit_code != 0) {
      if (predicted_) settle();  // no sandbox here at all: say so, as without a memo
      std::string log = read_file(launcher_log);
      while (!log.empty() && (log.back() == '\n' || log.back() == '\r')) log.pop_back();
      throw SandboxError(fmt::format(
          "{} failed (exit code {}): {}\nno sandbox could be built for student code; 'grader "
          "doctor' shows what this machine offers, and --unsafe-no-sandbox grades without "
          "isolation (never for untrusted code)",
          launcher_.string(), exit_code, log.empty() ? "no message" : log));
    }
    RunOutcome outcome;
    parse_result_record(read_file(result_file), outcome);
    outcome.stdout_text = read_file(stdout_file);
    outcome.stderr_text = read_file(stderr_file);
    if (request.channel) outcome.channel_text = read_file(channel_file);
    return outcome;
  }

  std::string description() const override {
    if (isolation_ == Isolation::None) return "grader-box, NO isolation (unsafe)";
    if (predicted_ && !missed_) return describe_probe(predicted_->mode, predicted_->cgroup_limits);
    settle();
    return description_;
  }

  bool unsafe() const override { return isolation_ == Isolation::None; }

 private:
  struct Probe {
    std::string mode;
    bool cgroup_limits = false;
    std::exception_ptr failure;
  };

  static std::string describe_probe(const std::string& mode, bool cgroup_limits) {
    return "grader-box, full isolation (" + mode + " mode" +
           (cgroup_limits ? ")"
                          : "; no cgroup: memory and processes limited per process by rlimits, "
                            "not for the whole box)");
  }

  // Whether the memo said what this run's probe found (after settle).
  bool memo_held() const {
    return predicted_ && predicted_->mode == mode_ && predicted_->cgroup_limits == cgroup_limits_;
  }

  // Writes this run's probe to the memo when it differs from what the memo said. A memo that
  // cannot be written costs the next run the wait, nothing else.
  void remember() const {
    if (memo_file_.empty()) return;
    if (failure_) {  // nothing to remember: the next run waits for its probe and says why
      std::error_code ec;
      if (predicted_) fs::remove(memo_file_, ec);
      return;
    }
    if (memo_held()) return;
    try {
      fs::create_directories(memo_file_.parent_path());
      detail::write_atomically(
          memo_file_, fmt::format("mode={}\ncgroup_limits={}\n", mode_, cgroup_limits_ ? 1 : 0));
    } catch (const std::exception&) {
      // an optimisation only
    }
  }

  fs::path launcher_;
  Isolation isolation_;
  fs::path memo_file_;              ///< empty without a memo folder
  std::optional<Probe> predicted_;  ///< the memo's answer, if there was one
  std::atomic<bool> missed_{false};
  mutable std::future<Probe> probe_;
  mutable std::once_flag settled_;
  mutable std::exception_ptr failure_;
  mutable std::string mode_;  ///< root | user-namespace (full isolation only)
  mutable bool cgroup_limits_ = false;
  mutable std::string description_;  ///< with the mode and what it costs
};

}  // namespace

std::unique_ptr<Sandbox> make_box_sandbox(const fs::path& launcher, Isolation isolation,
                                          const fs::path& memo_dir) {
  if (::access(launcher.c_str(), X_OK) != 0) {
    throw SandboxError(
        fmt::format("sandbox launcher {} is missing or not executable (build the "
                    "grader-box target)",
                    launcher.string()));
  }
  return std::make_unique<BoxSandbox>(launcher, isolation, memo_dir);
}

}  // namespace grader

namespace grader {
namespace {

// What the kernel does with a 32-bit system call, in words (the probe's ia32_syscall_entry).
std::string describe_ia32_entry(const std::string& value) {
  if (value == "1") {
    return "kernel: has a 32-bit syscall entry (IA-32 emulation): the box's filter stops int 0x80 "
           "with SIGSYS (security_violation)\n";
  }
  if (value == "0") {
    return "kernel: no 32-bit syscall entry (built without IA-32 emulation or booted with it "
           "off): int 0x80 is a SIGSEGV (runtime_error) before any filter is consulted\n";
  }
  return "kernel: whether it has a 32-bit syscall entry is unknown\n";
}

bool file_exists(const char* path) { return ::access(path, F_OK) == 0; }

// The mode the probe found, what it costs, and for each failure the change that would fix it.
std::string describe_mode(const std::string& probe) {
  const std::string isolation = mode_field(probe, "isolation");
  const bool root = mode_field(probe, "root") == "1";
  const bool cgroups = mode_field(probe, "cgroup_limits") == "1";
  std::string text;
  if (isolation == "full-root") {
    text += "mode: root (CAP_SYS_ADMIN): per-slot uids, the box's namespaces made directly\n";
  } else if (isolation == "full-user-namespace") {
    text += fmt::format(
        "mode: user namespace ({}): the box's namespaces inside a user namespace{}\n",
        root ? "root without CAP_SYS_ADMIN, as in an unprivileged container" : "not root",
        root ? ", the program as a per-slot uid" : ", the program as this user's uid");
  }
  if (isolation != "none-only" && !cgroups) {
    text +=
        "cost: no writable cgroup: memory (RLIMIT_AS) and processes (RLIMIT_NPROC) are limited "
        "per process, not for the whole box; fix: give the grader a delegated cgroup subtree "
        "(--cgroup-root, or systemd-run --user --scope -p Delegate=yes) or run it as root\n";
  }
  if (mode_field(probe, "root_mode_refused") == "1") {
    text +=
        "note: CAP_SYS_ADMIN is there but creating the namespaces was refused (a seccomp or "
        "LSM policy); the user-namespace mode is used where it works\n";
  }
  if (isolation != "none-only") return text;
  // Nothing works: say why, as precisely as this machine lets us tell.
  const std::optional<std::string> restrict =
      detail::read_text("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  if (restrict&& restrict->rfind("1", 0) == 0) {
    text +=
        "fix: kernel.apparmor_restrict_unprivileged_userns=1 (Ubuntu 23.10+/24.04) keeps user "
        "namespaces from mounting: run the grader as root (sudo), or load an AppArmor profile "
        "that allows userns for grader-box, or set the sysctl to 0\n";
  }
  if (mode_field(probe, "max_user_namespaces") == "0") {
    text += "fix: user.max_user_namespaces=0 forbids user namespaces: set it above 0 (sysctl)\n";
  }
  if (root && mode_field(probe, "user_namespaces") == "1") {
    text +=
        "fix: root without CAP_SETUID/CAP_SETGID cannot map the box to an unprivileged uid: "
        "keep those two capabilities (Kubernetes: capabilities add SETUID, SETGID)\n";
  }
  if (mode_field(probe, "user_namespaces") == "0") {
    const bool container = file_exists("/.dockerenv") || file_exists("/run/.containerenv") ||
                           std::getenv("KUBERNETES_SERVICE_HOST") != nullptr;
    if (container) text += "this process runs in a container whose policy forbids namespaces\n";
    text +=
        "fix: Docker/podman: add --security-opt seccomp=integrations/seccomp/grader-seccomp.json "
        "(the default profile refuses namespaces without CAP_SYS_ADMIN), with "
        "--security-opt systempaths=unconfined and apparmor=unconfined "
        "(integrations/seccomp/README.md)\n"
        "fix: Kubernetes: hostUsers: false (user namespaces) with the Localhost seccomp profile "
        "grader-seccomp.json and procMount: Unmasked (docs/examples/grade-indexed-job.yaml)\n";
  }
  return text;
}

}  // namespace

std::string probe_sandbox(const fs::path& launcher) {
  std::string text = fmt::format("sandbox launcher: {}\n", launcher.string());
  if (::access(launcher.c_str(), X_OK) != 0) {
    return text + "verdict: NOT SAFE: the launcher is missing; build the grader-box target\n";
  }
  // 1. What the launcher finds on this machine.
  try {
    bp::ipstream probe_out;
    bp::child probe(launcher.string(), "--probe", bp::std_in<bp::null, bp::std_out> probe_out,
                    bp::std_err > bp::null);
    std::string line;
    std::string probe_text;
    while (std::getline(probe_out, line)) {
      text += "  " + line + "\n";
      probe_text += line + "\n";
    }
    probe.wait();
    text += describe_ia32_entry(mode_field(probe_text, "ia32_syscall_entry"));
    text += describe_mode(probe_text);
  } catch (const std::exception& e) {
    text += fmt::format("  probe failed: {}\n", e.what());
  }
  // 2. A real run of /bin/true in full isolation.
  char pattern[] = "/tmp/grader-doctor-XXXXXX";
  if (::mkdtemp(pattern) == nullptr)
    return text + "verdict: unknown: cannot create a temp folder\n";
  const fs::path dir = pattern;
  std::error_code ec;
  fs::create_directories(dir / "box", ec);
  fs::create_directories(dir / "io", ec);
  try {
    auto sandbox = make_box_sandbox(launcher, Isolation::Full);
    RunRequest request;
    request.argv = {"/bin/true"};
    request.box_dir = dir / "box";
    request.io_dir = dir / "io";
    const RunOutcome outcome = sandbox->run(request);
    if (outcome.termination == Termination::Exited && outcome.exit_code == 0) {
      text += fmt::format("trial run in full isolation: ok ({} ms)\n", outcome.wall_ms);
      text += "verdict: SAFE: student code runs in the full sandbox\n";
    } else {
      text += fmt::format("trial run in full isolation: {}\n", describe(outcome));
      text += "verdict: NOT SAFE: the sandbox does not run programs correctly here\n";
    }
  } catch (const std::exception& e) {
    text += fmt::format("trial run in full isolation failed: {}\n", e.what());
    text +=
        "verdict: NOT SAFE: the grader will refuse to run student code here unless given "
        "--unsafe-no-sandbox\n";
  }
  fs::remove_all(dir, ec);
  return text;
}

}  // namespace grader
