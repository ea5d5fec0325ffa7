// Backpropagation exercise - single neuron
#include <cmath>

double forward(double weight, double input, double bias) {
    double z = weight * input + bias;
    return 1.0 / (1.0 + std::exp(-z));
}

double loss(double prediction, double target) {
    double diff = prediction - target;
    return diff * diff;
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    // chain rule: dL/dp * dp/dz * dz/dw
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
