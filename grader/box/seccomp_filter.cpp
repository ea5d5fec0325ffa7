#include "seccomp_filter.hpp"

#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "error.hpp"

namespace grader::box {
namespace {

constexpr const char* kStep = "seccomp";

// Deny-listed by name. Names libseccomp does not know on this architecture are skipped.
constexpr const char* kDeniedEperm[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "process_madvise", "kcmp",
    // mounts, old and new API
    "mount", "umount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr",
    // namespaces
    "unshare", "setns",
    // kernel attack surface and host-wide state
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "kexec_load",
    "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
    "swapoff", "acct", "quotactl", "quotactl_fd", "open_by_handle_at", "name_to_handle_at",
    "syslog", "ioperm", "iopl", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "stime", "sethostname", "setdomainname", "lookup_dcookie", "vhangup", "nfsservctl", "uselib",
    "fanotify_init"};

constexpr const char* kDeniedEnosys[] = {"clone3", "io_uring_setup", "io_uring_enter",
                                         "io_uring_register"};

// x86_64 numbers of syscalls newer than libseccomp 2.5.4's tables.
constexpr int kOpenTreeAttrX8664 = 467;

constexpr unsigned long kCloneNewFlags[] = {CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS,
                                            CLONE_NEWIPC, CLONE_NEWUSER,   CLONE_NEWPID,
                                            CLONE_NEWNET};

// Owns the libseccomp context.
class Filter {
 public:
  Filter() : ctx_(seccomp_init(SCMP_ACT_ALLOW)) {
    if (ctx_ == nullptr) fail(kStep, "seccomp_init failed", 0);
  }
  ~Filter() { seccomp_release(ctx_); }
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;
  scmp_filter_ctx get() const { return ctx_; }

  void check(int rc, const std::string& what) const {
    if (rc != 0) fail(kStep, what, -rc);
  }

 private:
  scmp_filter_ctx ctx_;
};

}  // namespace

std::vector<sock_filter> compile_seccomp() {
  Filter f;
  // The native architecture only; anything else (int 0x80 on x86_64, x32) kills the process.
  f.check(seccomp_attr_set(f.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS),
          "cannot set the bad-architecture action");
  for (const char* name : kDeniedEperm) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR || nr < 0) continue;  // unknown or not on this architecture
    f.check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EPERM), nr, 0),
            std::string("cannot deny ") + name);
  }
  for (const char* name : kDeniedEnosys) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR || nr < 0) continue;
    f.check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(ENOSYS), nr, 0),
            std::string("cannot deny ") + name);
  }
  if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
    f.check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EPERM), kOpenTreeAttrX8664, 0),
            "cannot deny open_tree_attr");
  }
  // clone: one rule per namespace flag (libseccomp compares with a mask, so "any of" is a list).
  for (const unsigned long flag : kCloneNewFlags) {
    f.check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
            "cannot restrict clone");
  }
  // ioctl's request is an unsigned int: compare the low 32 bits only.
  for (const unsigned long request :
       {static_cast<unsigned long>(TIOCSTI), static_cast<unsigned long>(TIOCLINUX)}) {
    f.check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                             SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, request)),
            "cannot restrict ioctl");
  }
  f.check(seccomp_rule_add(f.get(), SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
                           SCMP_A0(SCMP_CMP_NE, AF_UNIX)),
          "cannot restrict socket");
  const int memfd = memfd_create("grader-box-seccomp", MFD_CLOEXEC);
  if (memfd < 0) fail(kStep, "memfd_create");
  const int rc = seccomp_export_bpf(f.get(), memfd);
  const off_t size = lseek(memfd, 0, SEEK_END);
  std::vector<sock_filter> program(size > 0 ? static_cast<std::size_t>(size) / sizeof(sock_filter)
                                            : 0);
  const ssize_t n = pread(memfd, program.data(), program.size() * sizeof(sock_filter), 0);
  close(memfd);
  f.check(rc, "cannot export the filter");
  if (program.empty() || n != static_cast<ssize_t>(program.size() * sizeof(sock_filter))) {
    fail(kStep, "cannot read the exported filter", 0);
  }
  return program;
}

void send_filter(int fd, const std::vector<sock_filter>& program) {
  const auto count = static_cast<std::uint32_t>(program.size());
  std::vector<char> bytes(sizeof count + program.size() * sizeof(sock_filter));
  std::memcpy(bytes.data(), &count, sizeof count);
  std::memcpy(bytes.data() + sizeof count, program.data(), program.size() * sizeof(sock_filter));
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(kStep, "cannot hand the filter to the box");
    done += static_cast<std::size_t>(n);
  }
}

namespace {

// Reads exactly `size` bytes (the box's processes also hold the write end, so no EOF comes).
void read_exactly(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = read(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(kStep, "incomplete filter received", n < 0 ? errno : 0);
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::vector<sock_filter> receive_filter(int fd) {
  std::uint32_t count = 0;
  read_exactly(fd, &count, sizeof count);
  if (count == 0 || count > BPF_MAXINSNS) fail(kStep, "bad filter size received", 0);
  std::vector<sock_filter> program(count);
  read_exactly(fd, program.data(), count * sizeof(sock_filter));
  return program;
}

void install_seccomp(const std::vector<sock_filter>& program) {
  sock_fprog prog{static_cast<unsigned short>(program.size()),
                  const_cast<sock_filter*>(program.data())};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    fail(kStep, "cannot install the filter");
  }
}

bool seccomp_available() {
  // PR_GET_SECCOMP fails with EINVAL when the kernel lacks CONFIG_SECCOMP.
  return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 && seccomp_api_get() >= 1;
}

}  // namespace grader::box
