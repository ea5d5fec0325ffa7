// /dev/shm must be the box's own: prints every name in /dev/shm (the test leaves a file in the
// host's), then creates /dev/shm/box-made (which must not reach the host). Exits 0.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

int main() {
  if (DIR* d = opendir("/dev/shm")) {
    while (const dirent* e = readdir(d)) std::printf("entry %s\n", e->d_name);
    closedir(d);
  }
  const int fd = open("/dev/shm/box-made", O_WRONLY | O_CREAT, 0644);
  std::printf("create: %s\n", fd >= 0 ? "ok" : "failed");
  return 0;
}
