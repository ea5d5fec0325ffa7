// The only user of Boost.Process: spawns grader-box for each run and reads what it wrote.

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "grader/error.hpp"
#include "grader/sandbox.hpp"

namespace grader {
namespace {

namespace bp = boost::process;
namespace fs = std::filesystem;

// The launcher enforces the wall clock itself; this backstop only guards against a launcher
// that hangs, so it is generous.
constexpr std::int64_t kBackstopSlackMs = 10000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class BoxSandbox final : public Sandbox {
 public:
  BoxSandbox(fs::path launcher, Isolation isolation)
      : launcher_(std::move(launcher)), isolation_(isolation) {}

  RunOutcome run(const RunRequest& request) override {
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
    return isolation_ == Isolation::Full ? "grader-box, full isolation"
                                         : "grader-box, NO isolation (unsafe)";
  }

  bool unsafe() const override { return isolation_ == Isolation::None; }

 private:
  fs::path launcher_;
  Isolation isolation_;
};

}  // namespace

std::unique_ptr<Sandbox> make_box_sandbox(const fs::path& launcher, Isolation isolation) {
  if (::access(launcher.c_str(), X_OK) != 0) {
    throw SandboxError(
        fmt::format("sandbox launcher {} is missing or not executable (build the "
                    "grader-box target)",
                    launcher.string()));
  }
  return std::make_unique<BoxSandbox>(launcher, isolation);
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
    std::string ia32;
    while (std::getline(probe_out, line)) {
      text += "  " + line + "\n";
      if (line.rfind("ia32_syscall_entry=", 0) == 0) ia32 = line.substr(19);
    }
    probe.wait();
    text += describe_ia32_entry(ia32);
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
