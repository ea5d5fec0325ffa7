// Hostile: PTRACE_ATTACH to pid 1 (the box's init) and PTRACE_TRACEME. Expected: EPERM
// (seccomp); exits 3 if either call succeeded, else 0.
#include <sys/ptrace.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main() {
  const long attach = ptrace(PTRACE_ATTACH, 1, nullptr, nullptr);
  std::printf("attach 1: %s\n", attach == 0 ? "ok" : std::strerror(errno));
  const long traceme = ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
  std::printf("traceme: %s\n", traceme == 0 ? "ok" : std::strerror(errno));
  return attach == 0 || traceme == 0 ? 3 : 0;
}
