// Hostile: kill(-1, SIGKILL), then SIGKILL to its parent and to pid 1. Expected: nothing
// outside the box is hit (the test keeps a canary with the box's uid outside); the program
// itself survives kill(-1) and exits 0 after printing what each call returned.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main() {
  std::printf("kill(-1): %s\n", kill(-1, SIGKILL) == 0 ? "ok" : std::strerror(errno));
  std::printf("parent %d: %s\n", static_cast<int>(getppid()),
              kill(getppid(), SIGKILL) == 0 ? "ok" : std::strerror(errno));
  std::printf("pid 1: %s\n", kill(1, SIGKILL) == 0 ? "ok" : std::strerror(errno));
  for (pid_t pid = 2; pid < 400; ++pid) {
    if (pid != getpid()) kill(pid, SIGKILL);  // bounded sweep of low pids
  }
  return 0;
}
