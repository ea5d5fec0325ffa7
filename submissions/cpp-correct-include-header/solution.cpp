#include "backprop.hpp"

#include <cmath>

namespace {
double sig(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double forward(double weight, double input, double bias) { return sig(weight * input + bias); }

double loss(double prediction, double target) { return (prediction - target) * (prediction - target); }

double gradient(double weight, double input, double bias, double target) {
    double p = forward(weight, input, bias);
    return 2 * (p - target) * p * (1 - p) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
