// mistake: output-delta-sign-flipped
// task: output_delta
// hint: Your output deltas have the wrong sign: the derivative of (p - t)^2 with respect to p is 2(p - t), prediction minus target, so a prediction above its target gives a positive delta.
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
    delta.push_back(2.0 * (target[i] - p) * p * (1.0 - p));  // t - p instead of p - t
  }
  return delta;
}
