#include "supervise.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "error.hpp"

namespace grader::box {
namespace {

constexpr const char* kStep = "supervise";
constexpr int kCpuCheckMs = 100;
constexpr int kStragglerDrainMs = 200;

using Clock = std::chrono::steady_clock;

std::int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(kStep, "cannot store the program's output");
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Reads one chunk; returns false at EOF (and closes the pipe).
bool pump(Capture& c, std::optional<Stream>& overflow) {
  static char buffer[1 << 16];
  const ssize_t n = read(c.read_fd, buffer, sizeof buffer);
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return true;
    fail(kStep, std::string("read ") + to_string(c.stream));
  }
  if (n == 0) {
    close(c.read_fd);
    c.read_fd = -1;
    return false;
  }
  const std::int64_t room = std::max<std::int64_t>(0, c.limit_bytes - c.stored_bytes);
  const std::int64_t keep = std::min<std::int64_t>(room, n);
  if (keep > 0 && c.file_fd >= 0) write_all(c.file_fd, buffer, static_cast<std::size_t>(keep));
  c.stored_bytes += keep;
  if (n > room && !overflow) overflow = c.stream;
  return true;
}

void read_reports(int fd, std::vector<InitReport>& reports, bool& open) {
  InitReport report;
  const ssize_t n = read(fd, &report, sizeof report);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    open = false;
    return;
  }
  if (n == static_cast<ssize_t>(sizeof report)) reports.push_back(report);
}

}  // namespace

Supervised supervise(const Watch& w, std::vector<Capture>& captures, int report_read) {
  Supervised s;
  bool reaped = false;
  bool killed = false;
  bool report_open = report_read >= 0;
  std::optional<Clock::time_point> drain_deadline;
  auto kill_once = [&] {
    if (!killed) w.kill_box();
    killed = true;
  };

  for (;;) {
    const bool captures_open = std::any_of(captures.begin(), captures.end(),
                                           [](const Capture& c) { return c.read_fd >= 0; });
    if (reaped && !captures_open && !report_open) break;
    if (reaped && drain_deadline && Clock::now() > *drain_deadline) break;

    std::vector<pollfd> fds;
    if (!reaped) fds.push_back({w.pidfd, POLLIN, 0});
    for (const Capture& c : captures) {
      if (c.read_fd >= 0) fds.push_back({c.read_fd, POLLIN, 0});
    }
    // Init's records wait in the pipe (a few, far below its capacity) until init has been
    // reaped: waking up for them while it still runs would cost an extra wake-up per run.
    if (report_open && reaped) fds.push_back({report_read, POLLIN, 0});

    int timeout_ms = -1;
    if (!reaped && !killed) {
      const std::int64_t left = w.wall_time_ms - ms_since(w.start);
      if (left <= 0) {
        s.wall_expired = true;
        kill_once();
        continue;
      }
      timeout_ms =
          static_cast<int>(std::min<std::int64_t>(left, w.cpu_used_ns ? kCpuCheckMs : left));
    } else if (drain_deadline) {
      timeout_ms = static_cast<int>(std::max<std::int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(*drain_deadline - Clock::now())
                 .count()));
    }
    const int ready = poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      fail(kStep, "poll");
    }
    if (!reaped && !killed && w.cpu_used_ns && w.cpu_used_ns() > w.cpu_limit_ns) {
      s.cpu_expired = true;
      kill_once();
    }
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == w.pidfd && !reaped) {
        const pid_t pid = wait4(w.pid, &s.wait_status, __WALL | WNOHANG, &s.usage);
        if (pid < 0) fail(kStep, "wait4");
        if (pid == 0) continue;
        reaped = true;
        s.wall_ms = ms_since(w.start);
        if (!w.pipes_close_with_box) {
          kill_once();  // stragglers of an unsandboxed program
          drain_deadline = Clock::now() + std::chrono::milliseconds(kStragglerDrainMs);
        }
      } else if (p.fd == report_read) {
        read_reports(report_read, s.reports, report_open);
      } else {
        for (Capture& c : captures) {
          if (c.read_fd == p.fd) {
            pump(c, s.overflow);
            if (s.overflow && !killed) kill_once();
          }
        }
      }
    }
  }
  for (Capture& c : captures) {
    if (c.read_fd >= 0) close(c.read_fd);
    c.read_fd = -1;
  }
  return s;
}

}  // namespace grader::box
