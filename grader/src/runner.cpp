// The grader's side of the harness protocol: write the cases, run, read the channel, recover.

#include "grader/runner.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include "files.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// What one launch reported about its cases.
struct ChannelReport {
  bool ready = false;
  bool done = false;
  std::string load_error;
  std::string build_error;
  std::map<std::size_t, CaseRun> results;  // by index into the launch's case list
  std::optional<std::size_t> started;      // last `start` without a result
};

std::optional<std::size_t> parse_index(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

// Reads the channel. Lines that do not follow the protocol are ignored: only the harness writes
// here, and a torn last line (a crash mid-write) must not count.
ChannelReport read_channel(const std::string& channel, const std::vector<HarnessCase>& cases,
                           const std::vector<std::size_t>& pending) {
  const std::size_t case_count = pending.size();
  ChannelReport report;
  std::size_t start = 0;
  while (start < channel.size()) {
    const std::size_t end = channel.find('\n', start);
    if (end == std::string::npos) break;  // torn line
    const std::string line = channel.substr(start, end - start);
    start = end + 1;
    const std::size_t space = line.find(' ');
    const std::string verb = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (verb == "ready") {
      report.ready = true;
      continue;
    }
    if (verb == "done") {
      report.done = true;
      continue;
    }
    if (verb == "load_error") {
      report.load_error = unescape_message(rest);
      continue;
    }
    if (verb == "build_error") {
      report.build_error = unescape_message(rest);
      continue;
    }
    const std::size_t space2 = rest.find(' ');
    auto index = parse_index(rest.substr(0, space2));
    if (!index || *index >= case_count) continue;
    const std::string tail = space2 == std::string::npos ? "" : rest.substr(space2 + 1);
    CaseRun run;
    if (verb == "start") {
      report.started = *index;
      continue;
    } else if (verb == "value") {
      const std::size_t space3 = tail.find(' ');
      auto value = parse_wire(tail.substr(0, space3), cases[pending[*index]].returns);
      if (value) {
        run.kind = CaseRun::Kind::Value;
        run.value = std::move(*value);
      } else {
        // A whole line the grader cannot read as a value: too many numbers, or not a value.
        run.kind = CaseRun::Kind::BadType;
        run.message = fmt::format(
            "a result the grader cannot read (more than {} numbers, or "
            "not a number, vector or matrix)",
            kMaxWireElements);
      }
      if (space3 != std::string::npos) run.note = tail.substr(space3 + 1);
    } else if (verb == "missing") {
      run.kind = CaseRun::Kind::Missing;
    } else if (verb == "exception") {
      run.kind = CaseRun::Kind::Exception;
      run.message = unescape_message(tail);
    } else if (verb == "bad_type") {
      run.kind = CaseRun::Kind::BadType;
      run.message = unescape_message(tail);
    } else {
      continue;
    }
    report.results[*index] = std::move(run);
    if (report.started == index) report.started.reset();
  }
  return report;
}

// The status a death inside a call earns.
CaseStatus status_of_death(const RunOutcome& outcome) {
  switch (outcome.termination) {
    case Termination::Timeout:
      return CaseStatus::Timeout;
    case Termination::MemoryLimit:
      return CaseStatus::MemoryLimit;
    case Termination::OutputLimit:
      return CaseStatus::OutputLimit;
    case Termination::SecurityViolation:
      return CaseStatus::SecurityViolation;
    case Termination::Exited:
    case Termination::Signaled:
      break;
  }
  return outcome.oom_killed ? CaseStatus::MemoryLimit : CaseStatus::RuntimeError;
}

void append_capped(std::string& to, const std::string& text) {
  if (to.size() >= kMaxCapturedOutputBytes) return;
  to += text.substr(0, kMaxCapturedOutputBytes - to.size());
}

}  // namespace

std::string unescape_message(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out.push_back(text[i]);
      continue;
    }
    const char next = text[++i];
    switch (next) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      default:
        out.push_back(next);
    }
  }
  return out;
}

RunnerResult run_cases(const Program& program, const std::vector<HarnessCase>& cases,
                       Sandbox& sandbox, const SandboxLimits& limits, const fs::path& work_dir,
                       int slot) {
  RunnerResult result;
  result.runs.resize(cases.size());
  // Visible cases first, so that output can be silenced for good before the first hidden one.
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].visibility == Visibility::Visible) pending.push_back(i);
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].visibility == Visibility::Hidden) pending.push_back(i);
  }
  const fs::path io_dir = work_dir / "run-io";
  fs::create_directories(io_dir);

  while (!pending.empty()) {
    std::string listing;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      const HarnessCase& c = cases[pending[k]];
      std::string kinds;
      for (const Value& arg : c.args) kinds += wire_letter(arg.type);
      kinds += ':';
      kinds += wire_letter(c.returns);
      listing += fmt::format("{} {} {} {}", k, c.function,
                             c.visibility == Visibility::Visible ? 'v' : 'h', kinds);
      for (const Value& arg : c.args) listing += " " + to_wire(arg);
      listing += '\n';
    }
    detail::write_text(program.files_dir / ".grader" / "cases.txt", listing);
    std::vector<std::string> argv = program.argv;
    argv.push_back(".grader/cases.txt");
    RunRequest request{argv,   program.files_dir, std::nullopt, io_dir, true,
                       limits, program.env,       slot};
    const RunOutcome outcome = sandbox.run(request);
    ++result.launches;
    result.cpu_ms += outcome.cpu_ms;
    append_capped(result.stdout_text, outcome.stdout_text);
    append_capped(result.stderr_text, outcome.stderr_text);

    ChannelReport report = read_channel(outcome.channel_text, cases, pending);
    if (!report.build_error.empty()) {
      result.build_error = report.build_error;  // nothing of the submission ran
      break;
    }
    for (auto& [k, run] : report.results) result.runs[pending[k]] = std::move(run);
    if (!report.load_error.empty()) {
      result.load_error = report.load_error;
      break;
    }
    // Everything after the last reported case, in launch order.
    std::size_t next = 0;
    for (const auto& [k, run] : report.results) next = std::max(next, k + 1);
    if (report.done && report.results.size() == pending.size()) break;

    if (report.started) {
      // The program died inside this call: it costs this case, and a timeout costs the task.
      const std::size_t k = *report.started;
      CaseRun& died = result.runs[pending[k]];
      died.kind = CaseRun::Kind::Died;
      died.died_status = status_of_death(outcome);
      died.message = describe(outcome);
      std::vector<std::size_t> rest;
      for (std::size_t j = k + 1; j < pending.size(); ++j) {
        const bool same_task = cases[pending[j]].task == cases[pending[k]].task;
        // After a timeout or a memory kill, the task's other calls would most likely do the
        // same at the same cost: they stay NotRun.
        const bool pointless =
            died.died_status == CaseStatus::Timeout || died.died_status == CaseStatus::MemoryLimit;
        if (pointless && same_task) continue;
        if (report.results.count(j) != 0) continue;  // already answered
        rest.push_back(pending[j]);
      }
      pending = std::move(rest);
      continue;
    }
    if (next > 0 && next < pending.size()) {
      // Died between two calls (after a result, before the next start): carry on from there.
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(next));
      continue;
    }
    // No progress at all: the program cannot even start its cases (a crash while loading,
    // an exit from a static constructor). Every remaining case fails the same way.
    const std::string why =
        report.ready ? fmt::format("the program {} between two calls", describe(outcome))
                     : fmt::format("the program {} before running any case", describe(outcome));
    for (std::size_t j = next; j < pending.size(); ++j) {
      CaseRun& run = result.runs[pending[j]];
      run.kind = CaseRun::Kind::Died;
      run.died_status = status_of_death(outcome);
      run.message = why;
    }
    break;
  }
  return result;
}

}  // namespace grader
