#include "neuron.hpp"

#include <cmath>

double sigmoid(double z) {
    return 1.0 / (1.0 + std::exp(-z));
}

double sigmoid_prime(double z) {
    const double s = sigmoid(z);
    return s * (1.0 - s);
}

double forward(double weight, double input, double bias) {
    return sigmoid(weight * input + bias);
}

double loss(double prediction, double target) {
    const double e = prediction - target;
    return e * e;
}

double gradient(double weight, double input, double bias, double target) {
    const double z = weight * input + bias;
    const double prediction = sigmoid(z);
    const double dloss_dpred = 2.0 * (prediction - target);
    return dloss_dpred * sigmoid_prime(z) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
