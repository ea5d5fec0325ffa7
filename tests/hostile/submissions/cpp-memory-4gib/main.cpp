// Hostile test submission (cpp-memory-4gib): gradient allocates 64 x 64 MiB and touches every page (4 GiB).
// Expected: gradient: memory_limit (cgroup OOM kill).
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <cstdlib>

double forward(double weight, double input, double bias) {
  return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
  const double d = prediction - target;
  return d * d;
}

static double correct_gradient(double weight, double input, double bias, double target) {
  const double s = forward(weight, input, bias);
  return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
  return weight - learning_rate * gradient;
}

double gradient(double weight, double input, double bias, double target) {
  // Kept in a global so that the compiler cannot drop the allocations.
  static char* volatile hoard[64];
  constexpr std::size_t kChunk = std::size_t{64} << 20;
  int got = 0;
  for (int i = 0; i < 64; ++i) {
    char* p = static_cast<char*>(std::malloc(kChunk));
    if (p == nullptr) break;
    for (std::size_t off = 0; off < kChunk; off += 4096) static_cast<volatile char*>(p)[off] = 1;
    hoard[i] = p;
    ++got;
  }
  for (int i = 0; i < got; ++i) std::free(hoard[i]);
  // Reached only if the box let it touch 4 GiB (or malloc refused): then the verdict is not the
  // expected memory_limit and the checker reports it.
  return correct_gradient(weight, input, bias, target);
}
