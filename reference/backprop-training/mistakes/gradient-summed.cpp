// mistake: gradient-summed
// task: batch_gradient train loss_curve
// hint: Your gradient is n times too large (n = number of samples): the loss is the mean of the squared errors, so its gradient is the mean of the per-sample gradients - divide the sum by the number of samples.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_training.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double summed_gradient(double weight, double bias, const std::vector<double>& inputs,
                       const std::vector<double>& targets) {
  double sum = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double s = sigmoid(weight * inputs[i] + bias);
    sum += 2.0 * (s - targets[i]) * s * (1.0 - s) * inputs[i];
  }
  return sum;  // never divided by the number of samples
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

double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
  return summed_gradient(weight, bias, inputs, targets);
}

double train(double weight, double bias, std::vector<double> inputs, std::vector<double> targets,
             double learning_rate, int epochs) {
  for (int e = 0; e < epochs; ++e) {
    weight -= learning_rate * summed_gradient(weight, bias, inputs, targets);
  }
  return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
  std::vector<double> curve;
  for (int e = 0; e < epochs; ++e) {
    weight -= learning_rate * summed_gradient(weight, bias, inputs, targets);
    curve.push_back(mean_loss(weight, bias, inputs, targets));
  }
  return curve;
}
