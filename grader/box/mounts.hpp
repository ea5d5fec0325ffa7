// The box's file system: a fresh root on a small tmpfs with only what programs and toolchains
// need; nothing else of the host is visible.
#pragma once

#include <string>
#include <vector>

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

/// A file of the box's folder to be mounted read-only into /box (--read-only-file): `fd` is a
/// detached copy of its mount (open_tree), made on the host side.
struct ReadOnlyFile {
  std::string relative;
  int fd = -1;
};

/// Host side, before the box's namespaces exist: a detached mount of each of `files` (paths
/// relative to the open directory `box_source`, opened a component at a time without following
/// symlinks). A file that is missing, not a regular file, or that this kernel or process cannot
/// detach (no open_tree, or no CAP_SYS_ADMIN: user-namespace mode) is left out, and is then
/// copied like any other file.
std::vector<ReadOnlyFile> detach_read_only_files(int box_source,
                                                 const std::vector<std::string>& files);

/// Inside the box, after mount_run_parts and before the seccomp filter: mounts each detached
/// file on an empty file at /box/RELATIVE (its folders made as the copy makes them),
/// read-only, nosuid, nodev, noexec, and closes its descriptor. Returns the paths mounted; one
/// that cannot be mounted is left to the copy.
std::vector<std::string> attach_read_only_files(const Identity& identity,
                                                const std::vector<ReadOnlyFile>& files);

/// Copies the regular files of `box_source` (an open directory) into /box, owned by the box
/// uid, except the `mounted` ones (attach_read_only_files), and makes /box the working
/// directory. Runs inside the box's root.
void fill_box(const Identity& identity, int box_source,
              const std::vector<std::string>& mounted = {});

/// User-namespace mode: builds the whole tree in the caller's new mount namespace and enters
/// it (the proc mount must happen while the host's /proc is still visible).
void setup_mounts(const Options& options, const Identity& identity);

}  // namespace grader::box
