#include "backprop_training.hpp"

#include <cmath>

static double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
    double sum = 0.0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        double s = sigmoid(weight * inputs[i] + bias);
        sum += 2.0 * (s - targets[i]) * s * (1.0 - s) * inputs[i];
    }
    return sum / inputs.size();
}

double train(double weight, double bias, std::vector<double> inputs,
             std::vector<double> targets, double learning_rate, int epochs) {
    for (int epoch = 0; epoch <= epochs; ++epoch) {
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets);
    }
    return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
    std::vector<double> losses;
    for (int epoch = 0; epoch <= epochs; ++epoch) {
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets);
        double sum = 0.0;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            double d = sigmoid(weight * inputs[i] + bias) - targets[i];
            sum += d * d;
        }
        losses.push_back(sum / inputs.size());
    }
    return losses;
}
