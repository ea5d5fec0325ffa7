// mistake: layer-no-bias
// task: layer_forward
// hint: Your activations ignore the biases: each unit computes sigmoid(sum over j of W[i][j] * x[j] + b[i]), and its bias shifts z before the sigmoid.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> /*biases*/, std::vector<double> inputs) {
  std::vector<double> activations;
  for (const std::vector<double>& row : weights) {
    double z = 0.0;  // bias never added
    for (std::size_t j = 0; j < inputs.size(); ++j) z += row[j] * inputs[j];
    activations.push_back(sigmoid(z));
  }
  return activations;
}
