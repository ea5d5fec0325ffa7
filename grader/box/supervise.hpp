// The supervisor's loop: copies the box's output into files under caps, keeps the wall clock
// (and the cgroup's CPU total), collects init's report and reaps the watched process.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "init.hpp"
#include "result.hpp"

namespace grader::box {

/// One output pipe of the box and the file it is stored in.
struct Capture {
  Stream stream = Stream::Stdout;
  int read_fd = -1;  ///< read end of the pipe (owned; closed at EOF)
  int file_fd = -1;  ///< destination file
  std::int64_t limit_bytes = 0;
  std::int64_t stored_bytes = 0;
};

/// What to watch.
struct Watch {
  pid_t pid = -1;  ///< init (full) or the program itself (none)
  int pidfd = -1;  ///< readable once `pid` has exited
  std::chrono::steady_clock::time_point start;
  std::int64_t wall_time_ms = 0;
  /// CPU nanoseconds the box has used so far (cgroup), or empty when unknown.
  std::function<std::int64_t()> cpu_used_ns;
  std::int64_t cpu_limit_ns = 0;
  /// Kills the box: full mode signals init; none mode the program's session and every
  /// process the supervisor (a subreaper) has inherited.
  std::function<void()> kill_box;
  /// Full mode: the pipes reach EOF once init is gone. None mode: stragglers may hold them,
  /// so the drain after the program's end is bounded.
  bool pipes_close_with_box = true;
};

/// What the loop saw.
struct Supervised {
  int wait_status = 0;  ///< of Watch::pid
  rusage usage{};       ///< of Watch::pid (and what it waited for)
  std::optional<Stream> overflow;
  bool wall_expired = false;
  bool cpu_expired = false;
  std::int64_t wall_ms = 0;
  std::vector<InitReport> reports;  ///< records read from the report pipe
};

/// Runs until the watched process has been reaped and every capture is drained. A capture
/// that receives more than its limit gets exactly `limit_bytes` stored, and the box is killed.
/// Throws BoxError("supervise") on poll/read/write failures of its own.
Supervised supervise(const Watch& watch, std::vector<Capture>& captures, int report_read);

}  // namespace grader::box
