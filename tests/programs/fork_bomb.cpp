// Hostile: tries 500 forks; each child sleeps 2 s. Expected: the box's process limit stops it
// (fork fails with EAGAIN), prints how many succeeded, reaps them and exits 0. Bounded: 500.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main() {
  int started = 0;
  for (int i = 0; i < 500; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      sleep(2);
      _exit(0);
    }
    if (pid > 0) ++started;
  }
  std::printf("forks=%d\n", started);
  std::fflush(stdout);
  while (wait(nullptr) > 0) {
  }
  return 0;
}
