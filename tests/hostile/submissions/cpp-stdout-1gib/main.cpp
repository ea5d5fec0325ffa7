// Hostile test submission (cpp-stdout-1gib): gradient writes 1 GiB to stdout in 1 MiB writes.
// Expected: gradient: output_limit (stdout cap; hidden cases write to /dev/null and pass).
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <cstring>
#include <unistd.h>

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
  static char chunk[1 << 20];
  std::memset(chunk, 'x', sizeof chunk);
  for (int i = 0; i < 1024; ++i) {
    if (write(1, chunk, sizeof chunk) < 0) break;
  }
  return correct_gradient(weight, input, bias, target);
}
