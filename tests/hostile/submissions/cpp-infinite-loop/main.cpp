// Hostile test submission (cpp-infinite-loop): gradient spins (at most 20 s of wall time, first call only).
// Expected: gradient: timeout (CPU limit); the other tasks pass.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <chrono>
#include <cmath>

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
  static bool spun = false;
  if (!spun) {
    spun = true;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    volatile unsigned long spins = 0;
    while (std::chrono::steady_clock::now() < end) spins = spins + 1;
  }
  return correct_gradient(weight, input, bias, target);
}
