#include <cmath>
#include <iostream>
#include <vector>

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
    double sum = 0.0;
    for (size_t i = 0; i < inputs.size(); i++) {
        double p = sigmoid(weight * inputs[i] + bias);
        sum += 2 * (p - targets[i]) * p * (1 - p) * inputs[i];
    }
    return sum / inputs.size();
}

double train(double weight, double bias, std::vector<double> inputs,
             std::vector<double> targets, double learning_rate, int epochs) {
    for (int e = 0; e < epochs; e++) {
        for (size_t i = 0; i < inputs.size(); i++) {
            // update right after each sample
            double p = sigmoid(weight * inputs[i] + bias);
            weight -= learning_rate * 2 * (p - targets[i]) * p * (1 - p) * inputs[i];
        }
    }
    return weight;
}

std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
    std::vector<double> curve;
    for (int e = 0; e < epochs; e++) {
        for (size_t i = 0; i < inputs.size(); i++) {
            double p = sigmoid(weight * inputs[i] + bias);
            weight -= learning_rate * 2 * (p - targets[i]) * p * (1 - p) * inputs[i];
        }
        double loss = 0;
        for (size_t i = 0; i < inputs.size(); i++) {
            double d = sigmoid(weight * inputs[i] + bias) - targets[i];
            loss += d * d;
        }
        curve.push_back(loss / inputs.size());
    }
    return curve;
}

int main() {
    std::cout << train(0.5, 0.3, {1.5, -0.8, 2.2}, {1.0, 0.0, 0.7}, 0.1, 5) << "\n";
}
