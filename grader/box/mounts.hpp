// The box's file system: a fresh root on a small tmpfs with only what programs and toolchains
// need; nothing else of the host is visible.
#pragma once

#include "identity.hpp"
#include "options.hpp"

namespace grader::box {

/// Builds the box's file system in the calling process's new mount namespace and enters it:
///   /             tmpfs, read-only after setup
///   /usr          the host's, read-only, nosuid, nodev; /bin /lib /lib64 /sbin as on the host
///                 (merged-usr symlinks, or read-only binds where they are directories)
///   /etc          passwd, group, nsswitch.conf (synthetic), ld.so.cache (copy),
///                 alternatives (read-only bind; g++ and python3 resolve through it)
///   /dev          read-only tmpfs: null zero full random urandom, fd/stdin/stdout/stderr
///                 symlinks, and a private 8 MiB /dev/shm
///   /proc         a fresh proc of the box's pid namespace (nosuid, nodev, noexec)
///   /tmp, /box    private tmpfs of --box-size-mib each, owned by the box uid; the regular
///                 files of `box_source` (an open directory) are copied into /box
/// The working directory is /box afterwards. Must run with CAP_SYS_ADMIN over the mount
/// namespace (root, or the owner of a fresh user namespace). Throws BoxError("mounts").
void setup_mounts(const Options& options, const Identity& identity, int box_source);

}  // namespace grader::box
