#include <cmath>

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

double forward(double weight, double input, double bias) {
    return sigmoid(weight * input + bias);
}

double loss(double prediction, double target) {
    double err = prediction - target;
    return err * err;
}

double gradient(double weight, double input, double bias, double target) {
    double z = weight * input + bias;
    double out = sigmoid(z);
    // sigmoid'(x) = x * (1 - x)
    double deriv = z * (1 - z);
    return 2 * (out - target) * deriv * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
