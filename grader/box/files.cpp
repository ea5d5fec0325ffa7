#include "files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "error.hpp"

namespace grader::box {
namespace {

constexpr int kMaxDepth = 16;

// Owns a descriptor for the length of a scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::vector<std::string> list_dir(const char* step, int dir) {
  // fdopendir takes ownership, so hand it a duplicate positioned at the start.
  const int copy = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (copy < 0) fail(step, "cannot list a directory");
  DIR* d = fdopendir(copy);
  if (d == nullptr) {
    close(copy);
    fail(step, "cannot list a directory");
  }
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  closedir(d);
  return names;
}

void copy_bytes(const char* step, const std::string& name, int from, int to, off_t size) {
  off_t done = 0;
  while (done < size) {
    const ssize_t n = sendfile(to, from, nullptr, static_cast<std::size_t>(size - done));
    if (n < 0) fail(step, "cannot copy \"" + name + "\"");
    if (n == 0) break;  // the file shrank; copy what there was
    done += n;
  }
}

void copy_level(const char* step, int src, int dst, std::optional<uid_t> owner, int depth,
                const std::string& prefix, const std::vector<std::string>& skip) {
  for (const std::string& name : list_dir(step, src)) {
    struct stat st {};
    if (fstatat(src, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      fail(step, "cannot stat \"" + name + "\"");
    }
    const mode_t perm = st.st_mode & 0777;
    if (S_ISDIR(st.st_mode)) {
      if (depth >= kMaxDepth) continue;
      if (mkdirat(dst, name.c_str(), 0700) != 0 && errno != EEXIST) {
        fail(step, "cannot create directory \"" + name + "\"");
      }
      Fd from(openat(src, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      Fd to(openat(dst, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (from.get() < 0 || to.get() < 0) fail(step, "cannot open directory \"" + name + "\"");
      copy_level(step, from.get(), to.get(), owner, depth + 1, prefix + name + "/", skip);
      if (fchmod(to.get(), perm | 0700) != 0) fail(step, "cannot chmod \"" + name + "\"");
      if (owner && fchown(to.get(), *owner, *owner) != 0) {
        fail(step, "cannot chown \"" + name + "\"");
      }
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue;  // symlinks, devices, fifos, sockets
    if (std::find(skip.begin(), skip.end(), prefix + name) != skip.end()) continue;
    // O_NONBLOCK: a fifo swapped in after fstatat must not block the copy; fstat re-checks.
    Fd from(openat(src, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (from.get() < 0) {
      if (errno == ELOOP) continue;  // became a symlink
      fail(step, "cannot open \"" + name + "\"");
    }
    if (fstat(from.get(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    Fd to(openat(dst, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (to.get() < 0) fail(step, "cannot create \"" + name + "\"");
    copy_bytes(step, name, from.get(), to.get(), st.st_size);
    if (fchmod(to.get(), perm) != 0) fail(step, "cannot chmod \"" + name + "\"");
    if (owner && fchown(to.get(), *owner, *owner) != 0) {
      fail(step, "cannot chown \"" + name + "\"");
    }
  }
}

}  // namespace

int write_text(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const ssize_t n = write(fd, text.data(), text.size());
  const int err = n < 0 ? errno : 0;
  close(fd);
  return err;
}

std::optional<std::string> read_text(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  while (text.size() < 65536) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      const int err = errno;
      close(fd);
      errno = err;
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return text;
}

std::vector<std::string> split_text(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(sep, start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::int64_t keyed_value(const std::string& text, const std::string& key) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    if (text.compare(pos, key.size(), key) == 0 && pos + key.size() < end &&
        text[pos + key.size()] == ' ') {
      return std::strtoll(text.c_str() + pos + key.size() + 1, nullptr, 10);
    }
    pos = end + 1;
  }
  return 0;
}

void copy_tree(const char* step, int src_dir, int dst_dir, std::optional<uid_t> owner,
               const std::vector<std::string>& skip) {
  copy_level(step, src_dir, dst_dir, owner, 0, "", skip);
}

int open_subdir(int base, const std::string& relative) {
  int dir = dup(base);
  for (std::size_t at = 0; dir >= 0 && at <= relative.size();) {
    const std::size_t end = std::min(relative.find('/', at), relative.size());
    const std::string part = relative.substr(at, end - at);
    const int next = openat(dir, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(dir);
    dir = next;
    at = end + 1;
  }
  return dir;
}

void copy_out_of(int box, const std::optional<std::string>& from, int dst_dir) {
  if (!from) {
    copy_tree("copy-out", box, dst_dir, std::nullopt);
    return;
  }
  const int dir = open_subdir(box, *from);
  if (dir < 0) return;
  try {
    copy_tree("copy-out", dir, dst_dir, std::nullopt);
  } catch (...) {
    close(dir);
    throw;
  }
  close(dir);
}

void remove_tree(int parent, const std::string& name) {
  const int dir = openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir >= 0) {
    fchmod(dir, 0700);
    try {
      for (const std::string& entry : list_dir("cleanup", dir)) {
        if (unlinkat(dir, entry.c_str(), 0) != 0 && (errno == EISDIR || errno == EPERM)) {
          remove_tree(dir, entry);
        }
      }
    } catch (const BoxError&) {
      // best effort
    }
    close(dir);
  }
  unlinkat(parent, name.c_str(), AT_REMOVEDIR);
}

int open_dir(const char* step, const std::string& path) {
  // The caller's own directory: trusted, so a symlink to it is fine.
  const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail(step, "cannot open directory \"" + path + "\"");
  return fd;
}

}  // namespace grader::box
