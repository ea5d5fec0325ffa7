// mistake: weights-not-transposed
// task: hidden_delta
// hint: You multiplied delta_next by the rows of W_next instead of its columns: unit j of this layer feeds unit k of the next one through W_next[k][j], so its error is the sum over k of W_next[k][j] * delta_next[k] (that is W_next^T delta_next), with one value per unit of this layer.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
  std::vector<double> delta;
  for (std::size_t i = 0; i < next_weights.size(); ++i) {  // one value per row of W_next
    double sum = 0.0;
    for (std::size_t k = 0; k < next_delta.size(); ++k) sum += next_weights[i][k] * next_delta[k];
    delta.push_back(sum * activation[i] * (1.0 - activation[i]));
  }
  return delta;
}
