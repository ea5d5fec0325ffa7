// Hostile: fills the disk. `big`: one 1 GiB file (expected: SIGXFSZ, output_limit file).
// `many`: 64 files of 15 MiB (expected: ENOSPC from the size-limited /box; prints how many
// MiB were written and exits 0). Bounded by those sizes.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  static char block[1 << 20];
  std::memset(block, 'y', sizeof block);
  const std::string mode = argc > 1 ? argv[1] : "big";
  const int files = mode == "big" ? 1 : 64;
  const int mib_per_file = mode == "big" ? 1024 : 15;
  long written_mib = 0;
  for (int f = 0; f < files; ++f) {
    const std::string name = "fill-" + std::to_string(f) + ".bin";
    const int fd = open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      std::printf("open %s: %s\n", name.c_str(), std::strerror(errno));
      break;
    }
    for (int m = 0; m < mib_per_file; ++m) {
      // A short write is followed by one for the rest, which reports the error.
      ssize_t n = write(fd, block, sizeof block);
      if (n > 0 && n < static_cast<ssize_t>(sizeof block))
        n = write(fd, block + n, sizeof block - static_cast<std::size_t>(n));
      if (n < 0) {
        std::printf("write stopped: %s after %ld MiB\n", std::strerror(errno), written_mib);
        close(fd);
        std::printf("written_mib=%ld\n", written_mib);
        return 0;
      }
      ++written_mib;
    }
    close(fd);
  }
  std::printf("written_mib=%ld\n", written_mib);
  return 3;
}
