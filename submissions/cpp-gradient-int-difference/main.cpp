#include <cmath>

double forward(double weight, double input, double bias) {
    return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
    double d = prediction - target;
    return d * d;
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    int error = s - target;  // the error of the prediction
    return 2 * error * s * (1 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
