// Hostile test submission (cpp-include-dev-zero): includes /dev/zero, an endless file; the
// preprocessor reads it until the compile step's memory (or time) limit stops it.
// Expected: compile_error.
#include </dev/zero>

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
