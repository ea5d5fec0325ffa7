// mistake: loss-before-update
// task: loss_curve
// hint: Your curve is one step behind: each value must be the loss measured after that epoch's update, so the first value already reflects one step and the last one is the loss of the weight that train returns.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_training.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double mean_gradient(double weight, double bias, const std::vector<double>& inputs,
                     const std::vector<double>& targets) {
  double sum = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double s = sigmoid(weight * inputs[i] + bias);
    sum += 2.0 * (s - targets[i]) * s * (1.0 - s) * inputs[i];
  }
  return sum / static_cast<double>(inputs.size());
}

double mean_loss(double weight, double bias, const std::vector<double>& inputs,
                 const std::vector<double>& targets) {
  double sum = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double d = sigmoid(weight * inputs[i] + bias) - targets[i];
    sum += d * d;
  }
  return sum / static_cast<double>(inputs.size());
}
}  // namespace

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
  std::vector<double> curve;
  for (int e = 0; e < epochs; ++e) {
    curve.push_back(mean_loss(weight, bias, inputs, targets));  // measured before the update
    weight -= learning_rate * mean_gradient(weight, bias, inputs, targets);
  }
  return curve;
}
