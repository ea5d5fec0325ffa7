// The box's file system: a fresh root on a small tmpfs with only what programs and toolchains
// need; nothing else of the host is visible.
#pragma once

#include <string>

#include "identity.hpp"
#include "options.hpp"

namespace grader::box {

// The box's file system once built:
//   /             tmpfs, read-only
//   /usr          the host's, read-only, nosuid, nodev; /bin /lib /lib64 /sbin as on the host
//                 (merged-usr symlinks, or read-only binds where they are directories)
//   /etc          passwd, group, nsswitch.conf (synthetic), ld.so.cache (copy),
//                 alternatives (read-only bind; g++ and python3 resolve through it)
//   /dev          read-only tmpfs: null zero full random urandom, fd/stdin/stdout/stderr
//                 symlinks, and a private 8 MiB /dev/shm
//   /proc         a fresh proc of the box's pid namespace (nosuid, nodev, noexec)
//   /tmp, /box    private tmpfs of --box-size-mib each, owned by the box uid
// It is built in two parts. The root (/, /usr, /etc, /dev without /dev/shm) is the same for
// every run of a slot, so in root mode it is built once per slot in a mount namespace kept for
// the slot (slot_mount_namespace); each run then takes a private copy of that namespace and
// mounts only its own parts (/proc, /tmp, /box, /dev/shm). In a user namespace the whole tree
// is built for every run (setup_mounts). Everything throws BoxError("mounts").

/// Builds the root in the calling process's new, unshared mount namespace, pivots into it and
/// detaches the host's tree. Needs CAP_SYS_ADMIN over the namespace.
void build_root(const Identity& identity);

/// Mounts the run's own parts: /dev/shm, /proc (of the caller's pid namespace), /tmp and /box,
/// under `root` ("" once inside the box's root).
void mount_run_parts(const Options& options, const Identity& identity, const std::string& root);

/// Copies the regular files of `box_source` (an open directory) into /box, owned by the box
/// uid, and makes /box the working directory. Runs inside the box's root.
void fill_box(const Identity& identity, int box_source);

/// User-namespace mode: builds the whole tree in the caller's new mount namespace and enters
/// it (the proc mount must happen while the host's /proc is still visible).
void setup_mounts(const Options& options, const Identity& identity);

}  // namespace grader::box
