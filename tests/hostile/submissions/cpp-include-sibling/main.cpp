// Hostile test submission (cpp-include-sibling): includes another student's submission by a
// relative path, then defines the functions again, so that a compiler that could reach the
// sibling would quote its lines (which carry the run's secret) in "previously defined here".
// Expected: compile_error; the sibling's secret never shows up.
#include "../cpp-secret-sibling/main.cpp"

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
