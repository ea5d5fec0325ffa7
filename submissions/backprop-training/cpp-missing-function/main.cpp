#include <cmath>
#include <vector>

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

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
    for (int i = 0; i < epochs; ++i) {
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets);
    }
    return weight;
}

// TODO loss_curve
