#include "files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <vector>

namespace grader::detail {

namespace fs = std::filesystem;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return buffer.str();
}

void write_text(const fs::path& path, const std::string& content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    throw std::system_error(errno ? errno : EIO, std::generic_category(),
                            fmt::format("cannot write {}", path.string()));
  }
}

void write_atomically(const fs::path& path, const std::string& content) {
  const fs::path temp = path.string() + fmt::format(".tmp-{}", ::getpid());
  write_text(temp, content);
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp);
    throw std::system_error(ec, fmt::format("cannot replace {}", path.string()));
  }
}

void copy_into(const fs::path& from, const fs::path& to) {
  if (to.has_parent_path()) fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

std::string cap_text(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  const std::size_t newline = text.rfind('\n', limit);
  if (newline != std::string::npos && newline + 256 >= limit) cut = newline + 1;
  return text.substr(0, cut) + fmt::format("[... {} more bytes not shown]\n", text.size() - cut);
}

namespace {

// A work folder's lock: held (flock) by the process that made the folder for as long as it
// lives, so that a folder whose lock can be taken was left by a process that was killed.
constexpr const char* kOwnerLock = ".owner";
// /dev/shm is used only with this much room to spare: a batch keeps up to 12 precompiled
// headers of 14-30 MB there, and a container's default /dev/shm (64 MiB) is far too small.
constexpr std::uint64_t kLeastMemoryFsBytes = std::uint64_t{2} << 30;

bool memory_fs_with_room(const char* dir) {
  struct statfs fs_info {};
  struct statvfs vfs_info {};
  if (::statfs(dir, &fs_info) != 0 || fs_info.f_type != TMPFS_MAGIC) return false;
  if (::statvfs(dir, &vfs_info) != 0) return false;
  const std::uint64_t free_bytes =
      static_cast<std::uint64_t>(vfs_info.f_bavail) * static_cast<std::uint64_t>(vfs_info.f_frsize);
  return free_bytes >= kLeastMemoryFsBytes && ::access(dir, W_OK | X_OK) == 0;
}

}  // namespace

void sweep_abandoned_work_folders(const fs::path& base) {
  DIR* dir = ::opendir(base.c_str());
  if (dir == nullptr) return;
  const uid_t self = ::geteuid();
  std::vector<fs::path> abandoned;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind("grader-", 0) != 0) continue;
    struct stat info {};
    if (::fstatat(::dirfd(dir), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(info.st_mode) || info.st_uid != self) {
      continue;
    }
    const int folder =
        ::openat(::dirfd(dir), entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (folder < 0) continue;
    // Folders without a lock (made before locks, or by something else) are never touched.
    const int lock = ::openat(folder, kOwnerLock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    bool left = false;
    if (lock >= 0) {
      left = ::flock(lock, LOCK_EX | LOCK_NB) == 0;
      ::close(lock);
    }
    ::close(folder);
    if (left) abandoned.push_back(base / name);
  }
  ::closedir(dir);
  for (const fs::path& folder : abandoned) {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
}

fs::path temp_base() {
  const char* base = std::getenv("TMPDIR");
  if (base != nullptr && *base != '\0') return base;
  static const fs::path chosen = memory_fs_with_room("/dev/shm") ? "/dev/shm" : "/tmp";
  return chosen;
}

TempDir::TempDir(const std::string& prefix) {
  const fs::path base = temp_base();
  static std::once_flag swept;
  std::call_once(swept, [&] { sweep_abandoned_work_folders(base); });
  std::string pattern = (base / (prefix + "XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(),
                            fmt::format("cannot create a temporary folder {}", pattern));
  }
  path_ = buffer.data();
  // The lock is taken under another name and then renamed, so that a sweeper that finds the
  // lock file always finds it held.
  const fs::path taking = path_ / ".owner-taking";
  lock_fd_ = ::open(taking.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (lock_fd_ >= 0 && (::flock(lock_fd_, LOCK_EX) != 0 ||
                        ::rename(taking.c_str(), (path_ / kOwnerLock).c_str()) != 0)) {
    ::close(lock_fd_);
    lock_fd_ = -1;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace grader::detail
