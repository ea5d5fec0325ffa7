// Model answer of the backprop-network exercise. The grader takes its results as
// the expected values, so the weighted sums, where digits can be lost, are exact:
//   - every dot product (W x + b forward, W_next^T delta_next backward) is summed
//     from exact terms (each product split into its rounded value and its error
//     with a fused multiply-add) and rounded once, so it does not depend on the
//     order of the terms and keeps its digits when the terms nearly cancel;
//   - sigmoid never evaluates e^z for a large positive z.
// The element-wise formulas are short and written in the same order as in
// solution.py, which computes the same numbers.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace {

double sigmoid(double z) {
  if (z >= 0.0) {
    return 1.0 / (1.0 + std::exp(-z));
  }
  const double e = std::exp(z);
  return e / (1.0 + e);
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

/// start + sum of a[i] * b[i], rounded once.
class ExactDot {
 public:
  explicit ExactDot(double start) { terms_.push_back(start); }
  void add(double a, double b) {
    const double product = a * b;
    terms_.push_back(product);
    terms_.push_back(std::fma(a, b, -product));  // the rounding error of a * b, exactly
  }
  double value() const { return exact_sum(terms_); }

 private:
  std::vector<double> terms_;
};

}  // namespace

std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> biases, std::vector<double> inputs) {
  std::vector<double> activations;
  activations.reserve(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    ExactDot z(biases[i]);
    for (std::size_t j = 0; j < inputs.size(); ++j) z.add(weights[i][j], inputs[j]);
    activations.push_back(sigmoid(z.value()));
  }
  return activations;
}

std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
  std::vector<double> delta;
  delta.reserve(prediction.size());
  for (std::size_t i = 0; i < prediction.size(); ++i) {
    const double p = prediction[i];
    // dL/dp = 2 (p - t), dp/dz = p (1 - p).
    delta.push_back(2.0 * (p - target[i]) * (p * (1.0 - p)));
  }
  return delta;
}

std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
  std::vector<double> delta;
  delta.reserve(activation.size());
  for (std::size_t j = 0; j < activation.size(); ++j) {
    // Column j of W_next: how unit j of this layer feeds each unit of the next one.
    ExactDot back(0.0);
    for (std::size_t k = 0; k < next_delta.size(); ++k) back.add(next_weights[k][j], next_delta[k]);
    const double a = activation[j];
    delta.push_back(back.value() * (a * (1.0 - a)));
  }
  return delta;
}

std::vector<std::vector<double>> weight_gradient(std::vector<double> delta,
                                                 std::vector<double> inputs) {
  std::vector<std::vector<double>> gradient(delta.size(), std::vector<double>(inputs.size()));
  for (std::size_t i = 0; i < delta.size(); ++i) {
    for (std::size_t j = 0; j < inputs.size(); ++j) gradient[i][j] = delta[i] * inputs[j];
  }
  return gradient;
}
