#pragma once
// File helpers shared by the core's modules (not part of the public headers).

#include <filesystem>
#include <optional>
#include <string>

namespace grader::detail {

/// Reads a whole file; std::nullopt when it cannot be read.
std::optional<std::string> read_text(const std::filesystem::path& path);

/// Writes `content` to `path`, creating parent folders. \throws std::system_error.
void write_text(const std::filesystem::path& path, const std::string& content);

/// Writes `content` to a temporary file beside `path` and renames it over `path`, so that
/// readers see the old or the new file, never a torn one. \throws std::system_error.
void write_atomically(const std::filesystem::path& path, const std::string& content);

/// Copies the regular file `from` to `to`, creating parent folders. \throws std::system_error.
void copy_into(const std::filesystem::path& from, const std::filesystem::path& to);

/// Keeps at most `limit` bytes of `text`, cutting at a line break when one is near, and says
/// how much was cut.
std::string cap_text(const std::string& text, std::size_t limit);

/// Where work folders go: $TMPDIR when set; else /dev/shm when it is a memory file system with
/// at least 2 GiB free (creating and removing the many small files of a run there costs a
/// fraction of what it costs on a disk file system); else /tmp.
std::filesystem::path temp_base();

/// Removes the folders named grader-* under `base` that a killed grader of this user left:
/// those whose lock (see TempDir) nobody holds. Folders of other users, symlinks and folders
/// without a lock are left alone.
void sweep_abandoned_work_folders(const std::filesystem::path& base);

/// A fresh folder under temp_base(), removed with its content on destruction. It holds a lock
/// while it lives; the first TempDir of a process removes this user's folders whose lock
/// nobody holds (left by a grader that was killed). \throws std::system_error when it cannot
/// be made.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int lock_fd_ = -1;
};

}  // namespace grader::detail
