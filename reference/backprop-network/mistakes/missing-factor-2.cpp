// mistake: missing-factor-2
// task: output_delta
// hint: Your output deltas are half the expected values: the derivative of (p - t)^2 with respect to p is 2(p - t), and that factor 2 stays in the chain rule.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_network.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
  std::vector<double> delta;
  for (std::size_t i = 0; i < prediction.size(); ++i) {
    const double p = prediction[i];
    delta.push_back((p - target[i]) * p * (1.0 - p));  // the 2 of d(p - t)^2/dp is gone
  }
  return delta;
}
