// mistake: per-sample-updates
// task: train loss_curve
// hint: You update the weight after every sample (stochastic gradient descent); full-batch training computes the gradient of the whole batch at the current weight, averages it over the samples, and updates the weight once per epoch.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_training.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double one_epoch(double weight, double bias, const std::vector<double>& inputs,
                 const std::vector<double>& targets, double learning_rate) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double s = sigmoid(weight * inputs[i] + bias);
    weight -= learning_rate * 2.0 * (s - targets[i]) * s * (1.0 - s) * inputs[i];  // per sample
  }
  return weight;
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

double train(double weight, double bias, std::vector<double> inputs, std::vector<double> targets,
             double learning_rate, int epochs) {
  for (int e = 0; e < epochs; ++e) weight = one_epoch(weight, bias, inputs, targets, learning_rate);
  return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
  std::vector<double> curve;
  for (int e = 0; e < epochs; ++e) {
    weight = one_epoch(weight, bias, inputs, targets, learning_rate);
    curve.push_back(mean_loss(weight, bias, inputs, targets));
  }
  return curve;
}
