#include <cmath>
#include <cstdlib>

double forward(double weight, double input, double bias) {
    double z = weight * input + bias;
    return 1.0 / (1.0 + std::exp(-z));
}

// how far off the prediction is
double loss(double prediction, double target) {
    return std::fabs(prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double p = forward(weight, input, bias);
    return 2.0 * (p - target) * p * (1.0 - p) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
