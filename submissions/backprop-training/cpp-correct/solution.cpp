#include "backprop_training.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double mean_loss(double weight, double bias, const std::vector<double>& inputs,
                 const std::vector<double>& targets) {
    double sum = 0.0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        double diff = sigmoid(weight * inputs[i] + bias) - targets[i];
        sum += diff * diff;
    }
    return sum / inputs.size();
}
}  // namespace

double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
    double sum = 0.0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        double p = sigmoid(weight * inputs[i] + bias);
        sum += 2.0 * (p - targets[i]) * p * (1.0 - p) * inputs[i];
    }
    return sum / inputs.size();
}

double train(double weight, double bias, std::vector<double> inputs,
             std::vector<double> targets, double learning_rate, int epochs) {
    for (int epoch = 0; epoch < epochs; ++epoch) {
        weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets);
    }
    return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
    std::vector<double> losses;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets);
        losses.push_back(mean_loss(weight, bias, inputs, targets));
    }
    return losses;
}
