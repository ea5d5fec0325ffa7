// Hostile: allocates 4 GiB in 64 MiB chunks and touches every page. Expected: memory_limit
// (the cgroup's OOM killer). Bounded: stops at 4 GiB and exits 3.
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main() {
  constexpr std::size_t kChunk = std::size_t{64} << 20;
  std::size_t total = 0;
  while (total < (std::size_t{4} << 30)) {
    char* p = static_cast<char*>(std::malloc(kChunk));
    if (p == nullptr) {
      std::printf("malloc failed after %zu MiB\n", total >> 20);
      return 4;
    }
    std::memset(p, 1, kChunk);
    total += kChunk;
  }
  return 3;
}
