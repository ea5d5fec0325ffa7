#include <cmath>

static double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// prediction of the neuron
double forward(double weight, double input, double bias) {
    return sigmoid(weight * input);
}

double loss(double prediction, double target) {
    double d = prediction - target;
    return d * d;
}

double gradient(double weight, double input, double bias, double target) {
    double z = weight * input + bias;
    double s = sigmoid(z);
    return 2 * (s - target) * s * (1 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
