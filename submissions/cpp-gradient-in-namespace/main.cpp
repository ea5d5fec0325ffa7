#include <cmath>

double forward(double weight, double input, double bias) {
    return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

namespace neuron {
double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    return 2 * (s - target) * s * (1 - s) * input;
}
}  // namespace neuron

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
