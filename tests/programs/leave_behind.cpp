// Hostile: leaves processes behind and exits at once. `child`: a plain background child;
// `daemon`: setsid double fork. The leftover sleeps 1 s, then creates `marker` in the working
// directory and prints "alive" on stdout. Expected: killed when the program ends, so neither
// the marker nor the line ever appears. Bounded: the leftover exits after 5 s.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

static void linger() {
  sleep(1);
  close(open("marker", O_WRONLY | O_CREAT, 0644));
  const char line[] = "alive\n";
  [[maybe_unused]] ssize_t n = write(1, line, sizeof line - 1);
  sleep(4);
  _exit(0);
}

int main(int argc, char** argv) {
  const bool daemon = argc > 1 && std::strcmp(argv[1], "daemon") == 0;
  const pid_t pid = fork();
  if (pid == 0) {
    if (daemon) {
      setsid();
      if (fork() != 0) _exit(0);
    }
    linger();
  }
  std::printf("parent done\n");
  return 0;
}
