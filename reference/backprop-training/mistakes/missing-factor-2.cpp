// mistake: missing-factor-2
// task: batch_gradient train loss_curve
// hint: Your gradient is half the expected value: the derivative of (p - t)^2 with respect to p is 2(p - t), and that factor 2 stays in the chain rule.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop_training.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double half_gradient(double weight, double bias, const std::vector<double>& inputs,
                     const std::vector<double>& targets) {
  double sum = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double s = sigmoid(weight * inputs[i] + bias);
    sum += (s - targets[i]) * s * (1.0 - s) * inputs[i];  // the 2 of d(p - t)^2/dp is gone
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

double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
  return half_gradient(weight, bias, inputs, targets);
}

double train(double weight, double bias, std::vector<double> inputs, std::vector<double> targets,
             double learning_rate, int epochs) {
  for (int e = 0; e < epochs; ++e) {
    weight -= learning_rate * half_gradient(weight, bias, inputs, targets);
  }
  return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
  std::vector<double> curve;
  for (int e = 0; e < epochs; ++e) {
    weight -= learning_rate * half_gradient(weight, bias, inputs, targets);
    curve.push_back(mean_loss(weight, bias, inputs, targets));
  }
  return curve;
}
