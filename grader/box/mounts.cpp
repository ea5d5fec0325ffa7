#include "mounts.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "error.hpp"
#include "files.hpp"

namespace grader::box {
namespace {

constexpr const char* kStep = "mounts";
// Where the new root is assembled before pivot_root: any host directory works, since the
// mount namespace is private and the caller's directories are already open.
constexpr const char* kNewRoot = "/tmp";

struct Device {
  const char* name;
  unsigned int major;
  unsigned int minor;
};
constexpr Device kDevices[] = {
    {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}};

std::string in_root(const std::string& path) { return std::string(kNewRoot) + path; }

void do_mount(const char* source, const std::string& target, const char* type, unsigned long flags,
              const std::string& data) {
  if (mount(source, target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0) {
    fail(kStep, std::string("mount ") + (source ? source : "") + " on " + target);
  }
}

void make_dir(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) fail(kStep, "mkdir " + path);
}

void make_symlink(const std::string& target, const std::string& link) {
  if (symlink(target.c_str(), link.c_str()) != 0) fail(kStep, "symlink " + link);
}

void write_file(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(kStep, "create " + path);
  const ssize_t n = write(fd, text.data(), text.size());
  close(fd);
  if (n != static_cast<ssize_t>(text.size())) fail(kStep, "write " + path);
}

void copy_file(const std::string& source, const std::string& target) {
  const int from = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (from < 0) fail(kStep, "open " + source);
  const int to = open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  struct stat st {};
  bool ok = to >= 0 && fstat(from, &st) == 0;
  for (off_t done = 0; ok && done < st.st_size;) {
    const ssize_t n = sendfile(to, from, nullptr, static_cast<std::size_t>(st.st_size - done));
    ok = n > 0;
    done += n;
  }
  const int err = errno;
  if (to >= 0) close(to);
  close(from);
  if (!ok) fail(kStep, "copy " + source + " to " + target, err);
}

// The flags a user-namespace mount may not clear (they are locked to the source's).
unsigned long locked_flags(const std::string& source) {
  struct statvfs st {};
  if (statvfs(source.c_str(), &st) != 0) fail(kStep, "statvfs " + source);
  unsigned long flags = 0;
  if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

// A read-only, nosuid, nodev view of a host directory (not its sub-mounts).
void bind_read_only(const std::string& source, const std::string& target) {
  do_mount(source.c_str(), target, nullptr, MS_BIND, "");
  do_mount(nullptr, target, nullptr,
           MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | locked_flags(source), "");
}

void mount_usr() {
  make_dir(in_root("/usr"), 0755);
  bind_read_only("/usr", in_root("/usr"));
  // Merged-usr hosts have symlinks here; older layouts have real directories.
  for (const char* name : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    struct stat st {};
    if (lstat(name, &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      const ssize_t n = readlink(name, target, sizeof target - 1);
      if (n <= 0) fail(kStep, std::string("readlink ") + name);
      make_symlink(std::string(target, static_cast<std::size_t>(n)), in_root(name));
    } else if (S_ISDIR(st.st_mode)) {
      make_dir(in_root(name), 0755);
      bind_read_only(name, in_root(name));
    }
  }
}

void mount_etc(const Identity& id) {
  make_dir(in_root("/etc"), 0755);
  const std::string uid = std::to_string(id.uid);
  const std::string gid = std::to_string(id.gid);
  write_file(in_root("/etc/passwd"),
             "root:x:0:0:root:/root:/usr/sbin/nologin\n"
             "box:x:" +
                 uid + ":" + gid +
                 ":box:/box:/usr/sbin/nologin\n"
                 "nobody:x:65534:65534:nobody:/:/usr/sbin/nologin\n");
  write_file(in_root("/etc/group"), "root:x:0:\nbox:x:" + gid + ":\nnogroup:x:65534:\n");
  write_file(in_root("/etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files\n");
  if (access("/etc/ld.so.cache", R_OK) == 0)
    copy_file("/etc/ld.so.cache", in_root("/etc/ld.so.cache"));
  struct stat st {};
  if (stat("/etc/alternatives", &st) == 0 && S_ISDIR(st.st_mode)) {
    make_dir(in_root("/etc/alternatives"), 0755);
    bind_read_only("/etc/alternatives", in_root("/etc/alternatives"));
  }
}

void mount_dev(const Identity& id) {
  const std::string dev = in_root("/dev");
  make_dir(dev, 0755);
  // In a user namespace a tmpfs cannot hold usable device nodes: bind the host's instead.
  const unsigned long flags = MS_NOSUID | MS_NOEXEC | (id.user_namespace ? MS_NODEV : 0);
  do_mount("tmpfs", dev, "tmpfs", flags, "size=64k,nr_inodes=64,mode=755");
  for (const Device& d : kDevices) {
    const std::string path = dev + "/" + d.name;
    if (id.user_namespace) {
      write_file(path, "");
      do_mount((std::string("/dev/") + d.name).c_str(), path, nullptr, MS_BIND, "");
    } else if (mknod(path.c_str(), S_IFCHR | 0666, makedev(d.major, d.minor)) != 0) {
      fail(kStep, "mknod " + path);
    } else if (chmod(path.c_str(), 0666) != 0) {  // mknod obeys the umask
      fail(kStep, "chmod " + path);
    }
  }
  make_symlink("/proc/self/fd", dev + "/fd");
  make_symlink("/proc/self/fd/0", dev + "/stdin");
  make_symlink("/proc/self/fd/1", dev + "/stdout");
  make_symlink("/proc/self/fd/2", dev + "/stderr");
  make_dir(dev + "/shm", 0755);
  do_mount(nullptr, dev, nullptr, MS_REMOUNT | MS_RDONLY | flags, "size=64k,nr_inodes=64,mode=755");
}

void enter_root() {
  if (chdir(kNewRoot) != 0) fail(kStep, "chdir to the new root");
  // pivot_root(".", "."): the old root ends up stacked on top, then is detached.
  if (syscall(SYS_pivot_root, ".", ".") != 0) fail(kStep, "pivot_root");
  if (umount2(".", MNT_DETACH) != 0) fail(kStep, "detach the old root");
  if (chdir("/") != 0) fail(kStep, "chdir /");
  do_mount(nullptr, "/", nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
           "size=4m,nr_inodes=256,mode=755");
}

// Mounts a tmpfs from the box's copy of the host tree: assembled at kNewRoot, then entered.
void mount_root_tmpfs() {
  umask(022);
  // Nothing below may propagate back to the host.
  do_mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, "");
  do_mount("tmpfs", kNewRoot, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,nr_inodes=256,mode=755");
}

// The root at kNewRoot, still writable: /usr, /etc, /dev and the mount points of the run's parts.
void assemble_root(const Identity& identity) {
  mount_root_tmpfs();
  mount_usr();
  mount_etc(identity);
  mount_dev(identity);
  for (const char* dir : {"/proc", "/tmp", "/box"}) make_dir(in_root(dir), 0755);
}

}  // namespace

void build_root(const Identity& identity) {
  assemble_root(identity);
  enter_root();
}

void mount_run_parts(const Options& options, const Identity& id, const std::string& root) {
  umask(022);
  do_mount("tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
           "size=8m,nr_inodes=1024,mode=1777");
  do_mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  const std::string size = "size=" + std::to_string(options.box_size_mib) + "m,nr_inodes=16384";
  do_mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777");
  do_mount("tmpfs", root + "/box", "tmpfs", MS_NOSUID | MS_NODEV,
           size + ",mode=755,uid=" + std::to_string(id.uid) + ",gid=" + std::to_string(id.gid));
}

std::vector<ReadOnlyFile> detach_read_only_files(int box_source,
                                                 const std::vector<std::string>& files) {
  std::vector<ReadOnlyFile> detached;
  for (const std::string& relative : files) {
    const std::size_t slash = relative.rfind('/');
    const int parent = slash == std::string::npos
                           ? dup(box_source)
                           : open_subdir(box_source, relative.substr(0, slash));
    if (parent < 0) continue;
    const std::string name = slash == std::string::npos ? relative : relative.substr(slash + 1);
    const int fd =
        open_tree(parent, name.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
    close(parent);
    if (fd < 0) continue;
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(fd);
      continue;
    }
    detached.push_back({relative, fd});
  }
  return detached;
}

std::vector<std::string> attach_read_only_files(const Identity& identity,
                                                const std::vector<ReadOnlyFile>& files) {
  std::vector<std::string> mounted;
  for (const ReadOnlyFile& file : files) {
    // The folders on the way and an empty file to mount on, in the fresh /box.
    int dir = open("/box", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    std::size_t at = 0;
    for (std::size_t slash; dir >= 0 && (slash = file.relative.find('/', at)) != std::string::npos;
         at = slash + 1) {
      const std::string part = file.relative.substr(at, slash - at);
      if (mkdirat(dir, part.c_str(), 0755) == 0) {
        if (fchownat(dir, part.c_str(), identity.uid, identity.gid, AT_SYMLINK_NOFOLLOW) != 0) {
          fail(kStep, "chown /box/" + file.relative);
        }
      } else if (errno != EEXIST) {
        fail(kStep, "mkdir for /box/" + file.relative);
      }
      const int next = openat(dir, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      close(dir);
      dir = next;
    }
    if (dir < 0) fail(kStep, "open the folder of /box/" + file.relative);
    const std::string name = file.relative.substr(at);
    const int placeholder =
        openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
    close(dir);
    if (placeholder < 0) fail(kStep, "create /box/" + file.relative);
    close(placeholder);
    const std::string target = "/box/" + file.relative;
    const bool attached =
        move_mount(file.fd, "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) == 0;
    close(file.fd);
    if (!attached) continue;  // copied instead, over the empty file
    // The flags the source's mount locks (as the new mount now shows them) are kept.
    do_mount(
        nullptr, target, nullptr,
        MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | locked_flags(target),
        "");
    mounted.push_back(file.relative);
  }
  return mounted;
}

void fill_box(const Identity& identity, int box_source, const std::vector<std::string>& mounted) {
  const int box = open("/box", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (box < 0) fail(kStep, "open /box");
  try {
    copy_tree("copy-in", box_source, box, identity.uid, mounted);
  } catch (...) {
    close(box);
    throw;
  }
  close(box);
  if (chdir("/box") != 0) fail(kStep, "chdir /box");
}

void setup_mounts(const Options& options, const Identity& identity) {
  assemble_root(identity);
  mount_run_parts(options, identity, kNewRoot);
  enter_root();
}

}  // namespace grader::box
