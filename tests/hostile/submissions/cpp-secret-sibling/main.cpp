// Test submission (cpp-secret-sibling): a correct solution whose lines carry the run's secret
// (@SECRET@ is filled in by the checker). cpp-include-sibling tries to include it.
// Expected: graded, every task passed; the secret never shows up in any output.
#include <cmath>

double forward(double weight, double input, double bias) {  // @SECRET@
  return 1.0 / (1.0 + std::exp(-(weight * input + bias)));  // @SECRET@
}

double loss(double prediction, double target) {  // @SECRET@
  const double d = prediction - target;
  return d * d;
}

double gradient(double weight, double input, double bias, double target) {  // @SECRET@
  const double s = forward(weight, input, bias);
  return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {  // @SECRET@
  return weight - learning_rate * gradient;
}
