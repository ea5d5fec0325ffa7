// Small file helpers shared by the steps: whole-file reads and writes, and the box copy.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace grader::box {

/// Writes `text` to an existing file (cgroup and /proc knobs). Returns 0 or the errno.
int write_text(const std::string& path, const std::string& text);

/// Reads a small file (at most 64 KiB). Returns nullopt (errno set) when it cannot be read.
std::optional<std::string> read_text(const std::string& path);

/// `text` cut at every `sep` (a trailing separator adds no empty part). No iostreams anywhere
/// in grader-box: their locale setup alone cost ~1 ms per run.
std::vector<std::string> split_text(const std::string& text, char sep);

/// Value of `key VALUE` lines (memory.oom_control, pids.events, memory.events); 0 if absent.
std::int64_t keyed_value(const std::string& text, const std::string& key);

/// Copies the regular files under `src_dir` into `dst_dir` recursively: symlinks, devices,
/// fifos and sockets are skipped, nothing is followed (O_NOFOLLOW at every level), and
/// sub-directories deeper than 16 levels are ignored. Files keep their permission bits minus
/// set-id and sticky bits; when `owner` is given, files and directories are chowned to it.
/// Both arguments are open directory descriptors (not consumed). Files whose relative path is
/// in `skip` are left out. Throws BoxError(step).
void copy_tree(const char* step, int src_dir, int dst_dir, std::optional<uid_t> owner,
               const std::vector<std::string>& skip = {});

/// Opens the folder `relative` (plain names separated by '/') under the open directory `base`,
/// one component at a time, never following a symlink. -1 when it is not there or not a
/// folder (no error: a program may not have made it).
int open_subdir(int base, const std::string& relative);

/// The copy-out: the tree under `box` (the open /box), or only its folder `from` when given
/// (nothing when that folder is missing), into `dst_dir`. Throws BoxError("copy-out").
void copy_out_of(int box, const std::optional<std::string>& from, int dst_dir);

/// Removes a directory tree under `parent` (used for --isolation none's temporary directory).
/// Best effort: what cannot be removed stays.
void remove_tree(int parent, const std::string& name);

/// Opens one of the caller's directories (O_DIRECTORY|O_CLOEXEC). Throws BoxError(step).
int open_dir(const char* step, const std::string& path);

}  // namespace grader::box
