// The parts of the sandbox module that do not spawn anything: the result record and wording.

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <sstream>

#include "grader/error.hpp"
#include "grader/sandbox.hpp"

namespace grader {
namespace {

std::int64_t to_int(const std::map<std::string, std::string>& fields, const std::string& key) {
  auto it = fields.find(key);
  if (it == fields.end()) return 0;
  std::int64_t value = 0;
  const char* begin = it->second.data();
  const char* end = begin + it->second.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) {
    throw SandboxError(fmt::format("grader-box result record: {}: expected an integer, got \"{}\"",
                                   key, it->second));
  }
  return value;
}

}  // namespace

void parse_result_record(const std::string& text, RunOutcome& outcome) {
  std::map<std::string, std::string> fields;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw SandboxError(fmt::format("grader-box result record: malformed line \"{}\"", line));
    }
    fields[line.substr(0, eq)] = line.substr(eq + 1);
  }
  auto verdict = fields.find("verdict");
  if (verdict == fields.end()) {
    throw SandboxError(text.empty() ? "grader-box wrote no result record"
                                    : "grader-box result record has no verdict");
  }
  static const std::map<std::string, Termination> kVerdicts = {
      {"exited", Termination::Exited},
      {"signaled", Termination::Signaled},
      {"timeout", Termination::Timeout},
      {"memory_limit", Termination::MemoryLimit},
      {"output_limit", Termination::OutputLimit},
      {"security_violation", Termination::SecurityViolation},
  };
  auto known = kVerdicts.find(verdict->second);
  if (known == kVerdicts.end()) {
    throw SandboxError(
        fmt::format("grader-box result record: unknown verdict \"{}\"", verdict->second));
  }
  outcome.termination = known->second;
  outcome.exit_code = static_cast<int>(to_int(fields, "exit_code"));
  outcome.signal = static_cast<int>(to_int(fields, "signal"));
  outcome.signal_name = fields["signal_name"];
  outcome.timeout_kind = fields["timeout_kind"];
  outcome.output_stream = fields["output_stream"];
  outcome.cpu_ms = to_int(fields, "cpu_ms");
  outcome.wall_ms = to_int(fields, "wall_ms");
  outcome.peak_memory_kib = to_int(fields, "peak_memory_kib");
  outcome.oom_killed = to_int(fields, "oom_killed") != 0;
  outcome.process_limit_hit = to_int(fields, "process_limit_hit") != 0;
  outcome.message = fields["message"];
}

std::string describe(const RunOutcome& outcome) {
  std::string text;
  switch (outcome.termination) {
    case Termination::Exited:
      text = fmt::format("exited with code {}", outcome.exit_code);
      break;
    case Termination::Signaled:
      text = fmt::format("was killed by {} (exit status {})",
                         outcome.signal_name.empty() ? fmt::format("signal {}", outcome.signal)
                                                     : outcome.signal_name,
                         128 + outcome.signal);
      break;
    case Termination::Timeout:
      text = outcome.timeout_kind == "wall" ? "exceeded the wall-clock time limit"
                                            : "exceeded the CPU time limit";
      break;
    case Termination::MemoryLimit:
      text = "exceeded the memory limit";
      break;
    case Termination::OutputLimit:
      text = outcome.output_stream.empty()
                 ? "exceeded the output limit"
                 : fmt::format("exceeded the output limit ({})", outcome.output_stream);
      break;
    case Termination::SecurityViolation:
      text = "made a forbidden system call";
      break;
  }
  if (outcome.process_limit_hit) text += "; reached the process limit";
  return text;
}

}  // namespace grader
