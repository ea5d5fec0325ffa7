// mistake: missing-sigmoid-derivative
// task: output_delta hidden_delta
// hint: Your delta stops at dL/da: the delta is dL/dz, so the chain rule also multiplies by the sigmoid's slope da/dz = a (1 - a) of each unit.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
  std::vector<double> delta;
  for (std::size_t i = 0; i < prediction.size(); ++i) {
    delta.push_back(2.0 * (prediction[i] - target[i]));  // no p (1 - p)
  }
  return delta;
}

std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
  std::vector<double> delta;
  for (std::size_t j = 0; j < activation.size(); ++j) {
    double sum = 0.0;
    for (std::size_t k = 0; k < next_delta.size(); ++k) sum += next_weights[k][j] * next_delta[k];
    delta.push_back(sum);  // no a (1 - a)
  }
  return delta;
}
