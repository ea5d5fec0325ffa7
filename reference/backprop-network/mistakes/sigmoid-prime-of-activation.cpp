// mistake: sigmoid-prime-of-activation
// task: output_delta hidden_delta
// hint: You took the sigmoid's slope at the activation a as if it were z, computing sigmoid(a) (1 - sigmoid(a)): a is already sigmoid(z), so the slope dp/dz is simply a (1 - a).
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double sigmoid_prime(double z) { return sigmoid(z) * (1.0 - sigmoid(z)); }
}  // namespace

std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
  std::vector<double> delta;
  for (std::size_t i = 0; i < prediction.size(); ++i) {
    delta.push_back(2.0 * (prediction[i] - target[i]) * sigmoid_prime(prediction[i]));
  }
  return delta;
}

std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
  std::vector<double> delta;
  for (std::size_t j = 0; j < activation.size(); ++j) {
    double sum = 0.0;
    for (std::size_t k = 0; k < next_delta.size(); ++k) sum += next_weights[k][j] * next_delta[k];
    delta.push_back(sum * sigmoid_prime(activation[j]));
  }
  return delta;
}
