#include <cmath>

double sigmoid(double z) {
    return 1.0 / (1.0 + std::exp(-z));
}

double forward(double weight, double input, double bias) {
    return sigmoid(weight * input + bias);
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double z = weight * input + bias;
    double pred = sigmoid(z);
    double dpred_dz = sigmoid(z);   // derivative of the activation
    return 2.0 * (pred - target) * dpred_dz * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
