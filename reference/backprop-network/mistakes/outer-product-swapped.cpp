// mistake: outer-product-swapped
// task: weight_gradient
// hint: Your gradient is the transpose of the expected one (inputs times delta): it must have the shape of the weight matrix, one row per unit (per delta) and one column per input, with entry (i, j) = delta[i] * inputs[j].
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

std::vector<std::vector<double>> weight_gradient(std::vector<double> delta,
                                                 std::vector<double> inputs) {
  std::vector<std::vector<double>> gradient;
  for (double x : inputs) {  // one row per input instead of one per unit
    std::vector<double> row;
    for (double d : delta) row.push_back(x * d);
    gradient.push_back(row);
  }
  return gradient;
}
