// The box's pid 1 and the program's process (pid 2): everything that runs inside the namespaces.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "identity.hpp"
#include "mounts.hpp"
#include "options.hpp"
#include "rlimits.hpp"

namespace grader::box {

/// What init tells the supervisor through the report pipe. One record per write (smaller than
/// PIPE_BUF, so writes are atomic); pid 2 uses the same pipe for errors before exec.
struct InitReport {
  enum Kind : std::int32_t { kFinished = 1, kError = 2 };
  std::int32_t kind = kFinished;
  std::int32_t wait_status = 0;  ///< pid 2's status from wait4
  std::int64_t cpu_us = 0;       ///< user + system time of every process the box reaped
  std::int64_t max_rss_kib = 0;  ///< largest resident set of any of them
  std::int32_t sigsys_seen = 0;  ///< some process of the box died of SIGSYS (seccomp)
  char message[400] = {};        ///< kError: "STEP: MESSAGE (strerror)"
};

/// Descriptors and settings handed from the supervisor to init across clone().
struct InitContext {
  const Options* options = nullptr;
  Identity identity;
  RlimitContext rlimits;   ///< set by init from the go
  bool namespaces = true;  ///< false for --isolation none: no mounts, identity or seccomp
  int sync_read = -1;      ///< init's end of the go socket (handoff.hpp)
  int report_write = -1;   ///< InitReport records (close-on-exec)
  int stdout_write = -1;   ///< -1: /dev/null
  int stderr_write = -1;   ///< -1: /dev/null
  int channel_write = -1;  ///< -1: fd 3 stays closed
  int box_source = -1;     ///< open directory whose files go into /box
  std::vector<ReadOnlyFile> read_only_files;  ///< detached mounts of --read-only-file
  int copy_out = -1;                          ///< open directory for the copy-out, or -1
  int network = -1;           ///< network namespace to join first (slot_network_namespace), or -1
  int mount_namespace = -1;   ///< the slot's root to copy (slot_mount_namespace); -1: build it
  int slot_lock = -1;         ///< the slot's lock; init keeps it until the box is gone
  std::string home = "/box";  ///< HOME of the program (its working directory)
};

/// Body of the box's pid 1 (full isolation): joins the slot's network namespace, mounts the
/// box (a private copy of the slot's root plus the run's own parts, or the whole tree in a
/// user namespace), installs the seccomp filter (inherited by everything it starts), waits for
/// the supervisor's go, enters the slot cgroup, copies the files into /box, starts the program
/// as pid 2, reaps every process that ends up in the box, and once pid 2 has ended kills the
/// rest, copies /box out and sends one kFinished record. Never returns.
[[noreturn]] void run_init(const InitContext& context);

/// Body of the program's process: stdin /dev/null, stdout/stderr/channel on fds 1, 2, 3,
/// everything else closed at exec, rlimits and identity (full isolation only; the seccomp
/// filter comes from init), clean environment, then exec. Sends a kError record and exits 127 if
/// any step fails. Never returns.
[[noreturn]] void run_program(const InitContext& context);

/// Sends a kError record for `message` (used by both processes).
void report_error(int report_write, const char* message);

}  // namespace grader::box
