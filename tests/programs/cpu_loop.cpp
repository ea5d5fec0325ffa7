// Hostile: spins forever. Expected: timeout (cpu). Bounded: gives up after 30 s of wall time
// and exits 3, so a missing CPU limit shows as a failure instead of a stuck machine.
#include <chrono>

int main() {
  const auto start = std::chrono::steady_clock::now();
  volatile unsigned long counter = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(30)) {
    for (int i = 0; i < 1000000; ++i) counter = counter + 1;
  }
  return 3;
}
