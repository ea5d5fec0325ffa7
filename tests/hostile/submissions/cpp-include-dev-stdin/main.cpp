// Hostile test submission (cpp-include-dev-stdin): includes /dev/stdin; a compiler with an
// inherited, never-closed stdin would block until its wall clock.
// Expected: no hang. The compiler's stdin in the box is /dev/null, so the include reads an
// empty file and the rest compiles: graded, every task passed, within seconds.
#include </dev/stdin>

#include <cmath>

double forward(double weight, double input, double bias) {
  return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
  const double d = prediction - target;
  return d * d;
}

double gradient(double weight, double input, double bias, double target) {
  const double s = forward(weight, input, bias);
  return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
  return weight - learning_rate * gradient;
}
