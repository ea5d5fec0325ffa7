// Hostile: writes 1 GiB to stdout. Expected: output_limit (stdout), killed at the cap.
// Bounded: 1 GiB, then exits 3.
#include <unistd.h>

#include <cstring>

int main() {
  static char block[1 << 16];
  std::memset(block, 'x', sizeof block);
  for (long done = 0; done < (1L << 30); done += static_cast<long>(sizeof block)) {
    if (write(1, block, sizeof block) < 0) return 4;
  }
  return 3;
}
