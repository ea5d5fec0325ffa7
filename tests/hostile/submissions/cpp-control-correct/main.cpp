// Hostile test submission (cpp-control-correct): none; a correct solution, so that the checker sees a pass.
// Expected: graded, every task passed.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
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
  return correct_gradient(weight, input, bias, target);
}
