#include "result.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "error.hpp"

namespace grader::box {

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Exited:
      return "exited";
    case Verdict::Signaled:
      return "signaled";
    case Verdict::Timeout:
      return "timeout";
    case Verdict::MemoryLimit:
      return "memory_limit";
    case Verdict::OutputLimit:
      return "output_limit";
    case Verdict::SecurityViolation:
      return "security_violation";
  }
  return "exited";
}

const char* to_string(TimeoutKind kind) {
  switch (kind) {
    case TimeoutKind::Cpu:
      return "cpu";
    case TimeoutKind::Wall:
      return "wall";
  }
  return "cpu";
}

const char* to_string(Stream stream) {
  switch (stream) {
    case Stream::Stdout:
      return "stdout";
    case Stream::Stderr:
      return "stderr";
    case Stream::Channel:
      return "channel";
    case Stream::File:
      return "file";
  }
  return "file";
}

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev ? std::string("SIG") + abbrev : "SIG" + std::to_string(signal);
}

void decide_verdict(const Evidence& e, RunResult& r) {
  r.oom_killed = e.oom_kills > 0;
  r.process_limit_hit = e.pids_max_events > 0;
  const bool signaled = e.program_status && WIFSIGNALED(*e.program_status);
  const int sig = signaled ? WTERMSIG(*e.program_status) : 0;
  // A supervisor kill reaches the program as SIGKILL (pid 1 dies, the namespace goes with it).
  const bool supervisor_kill = e.overflow || e.wall_expired || e.cpu_expired;
  r.signal = signaled ? sig : (supervisor_kill || !e.program_status ? SIGKILL : 0);
  if (e.overflow) {
    r.verdict = Verdict::OutputLimit;
    r.output_stream = e.overflow;
  } else if (r.oom_killed) {
    r.verdict = Verdict::MemoryLimit;
  } else if (e.wall_expired) {
    r.verdict = Verdict::Timeout;
    r.timeout_kind = TimeoutKind::Wall;
  } else if (e.cpu_expired || sig == SIGXCPU) {
    r.verdict = Verdict::Timeout;
    r.timeout_kind = TimeoutKind::Cpu;
  } else if (sig == SIGXFSZ) {
    r.verdict = Verdict::OutputLimit;
    r.output_stream = Stream::File;
  } else if (sig == SIGSYS || e.sigsys_seen) {
    r.verdict = Verdict::SecurityViolation;
    if (sig == 0) r.signal = SIGSYS;
  } else if (signaled || !e.program_status) {
    r.verdict = Verdict::Signaled;
  } else {
    r.verdict = Verdict::Exited;
    r.exit_code = WEXITSTATUS(*e.program_status);
    r.signal = 0;
  }
}

void write_result(const std::string& path, const RunResult& r) {
  std::string out;
  auto line = [&out](const char* key, const std::string& value) {
    out += key;
    out += '=';
    out += value;
    out += '\n';
  };
  line("verdict", to_string(r.verdict));
  if (r.verdict == Verdict::Exited) line("exit_code", std::to_string(r.exit_code));
  if (r.signal != 0) {
    line("signal", std::to_string(r.signal));
    line("signal_name", signal_name(r.signal));
  }
  if (r.timeout_kind) line("timeout_kind", to_string(*r.timeout_kind));
  if (r.output_stream) line("output_stream", to_string(*r.output_stream));
  line("cpu_ms", std::to_string(r.cpu_ms));
  line("wall_ms", std::to_string(r.wall_ms));
  line("peak_memory_kib", std::to_string(r.peak_memory_kib));
  line("box_memory_peak_kib", std::to_string(r.box_memory_peak_kib));
  line("oom_killed", r.oom_killed ? "1" : "0");
  line("process_limit_hit", r.process_limit_hit ? "1" : "0");
  line("isolation", r.isolation);
  line("mode", r.mode);
  line("cgroup", r.cgroup);
  std::string message = r.message;
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  line("message", message);
  const std::string& text = out;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("result", "cannot create \"" + path + "\"");
  const ssize_t n = write(fd, text.data(), text.size());
  const int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(text.size())) fail("result", "cannot write \"" + path + "\"", err);
}

}  // namespace grader::box
