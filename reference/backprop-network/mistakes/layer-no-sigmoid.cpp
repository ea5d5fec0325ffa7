// mistake: layer-no-sigmoid
// task: layer_forward
// hint: Your layer returns z = W x + b, before the activation function: each unit's output is sigmoid(z) = 1 / (1 + e^(-z)), always between 0 and 1.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> biases, std::vector<double> inputs) {
  std::vector<double> z;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    double sum = biases[i];
    for (std::size_t j = 0; j < inputs.size(); ++j) sum += weights[i][j] * inputs[j];
    z.push_back(sum);  // sigmoid never applied
  }
  return z;
}
