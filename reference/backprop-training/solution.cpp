// Model answer of the backprop-training exercise. The grader takes its results as
// the expected values, so it keeps the digits that the plain formulas can lose:
//   - z = weight * x + bias is one fused multiply-add, rounded once;
//   - sigmoid never evaluates e^z for a large positive z, sigma'(z) comes from
//     e^-|z| instead of s * (1 - s) (which cancels to 0 once s rounds to 1), and
//     s - target is formed as (1 - target) - sigma(-z) for z > 0;
//   - sums over the samples are correctly rounded (the algorithm of Python's
//     math.fsum), so they do not depend on the order of the samples, then divided
//     once by the number of samples;
//   - each weight update is one fused multiply-add, so a step that nearly cancels
//     the weight keeps its digits.
// solution.py computes the same numbers the same way. The public functions never
// call each other: each one is complete on its own.
#include "backprop_training.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {

double sigmoid(double z) {
  if (z >= 0.0) {
    return 1.0 / (1.0 + std::exp(-z));
  }
  const double e = std::exp(z);
  return e / (1.0 + e);
}

/// sigma'(z) = e^-|z| / (1 + e^-|z|)^2.
double sigmoid_slope(double z) {
  const double e = std::exp(-std::fabs(z));
  const double d = 1.0 + e;
  return e / (d * d);
}

/// sigma(z) - target without subtracting two numbers close to 1.
double prediction_error(double z, double target) {
  if (z > 0.0) {
    return (1.0 - target) - sigmoid(-z);
  }
  return sigmoid(z) - target;
}

/// The correctly rounded sum of finite values: Shewchuk's exact partials with the
/// final half-even correction, as in CPython's math.fsum.
double exact_sum(const std::vector<double>& values) {
  std::vector<double> partials;
  for (double x : values) {
    std::size_t i = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0) partials[i++] = lo;
      x = hi;
    }
    partials.resize(i);
    partials.push_back(x);
  }
  std::size_t n = partials.size();
  if (n == 0) return 0.0;
  double hi = partials[--n];
  double lo = 0.0;
  while (n > 0) {
    const double x = hi;
    const double y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo != 0.0) break;
  }
  // Round half to even when the rest of the partials tip a tie.
  if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
    const double y = lo * 2.0;
    const double x = hi + y;
    if (y == x - hi) hi = x;
  }
  return hi;
}

double gradient_of_batch(double weight, double bias, const std::vector<double>& inputs,
                         const std::vector<double>& targets) {
  std::vector<double> terms;
  terms.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double z = std::fma(weight, inputs[i], bias);
    // Chain rule per sample: dL/dp = 2 (p - t), dp/dz = sigma'(z), dz/dw = x.
    terms.push_back(2.0 * prediction_error(z, targets[i]) * sigmoid_slope(z) * inputs[i]);
  }
  return exact_sum(terms) / static_cast<double>(inputs.size());
}

double mean_squared_error(double weight, double bias, const std::vector<double>& inputs,
                          const std::vector<double>& targets) {
  std::vector<double> squares;
  squares.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double e = prediction_error(std::fma(weight, inputs[i], bias), targets[i]);
    squares.push_back(e * e);
  }
  return exact_sum(squares) / static_cast<double>(inputs.size());
}

double step(double weight, double gradient, double learning_rate) {
  // weight - learning_rate * gradient with a single rounding.
  return std::fma(-learning_rate, gradient, weight);
}

}  // namespace

double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
  return gradient_of_batch(weight, bias, inputs, targets);
}

double train(double weight, double bias, std::vector<double> inputs, std::vector<double> targets,
             double learning_rate, int epochs) {
  for (int epoch = 0; epoch < epochs; ++epoch) {
    weight = step(weight, gradient_of_batch(weight, bias, inputs, targets), learning_rate);
  }
  return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
  std::vector<double> curve;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    weight = step(weight, gradient_of_batch(weight, bias, inputs, targets), learning_rate);
    curve.push_back(mean_squared_error(weight, bias, inputs, targets));  // after the update
  }
  return curve;
}
