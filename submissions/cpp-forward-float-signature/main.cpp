#include <cmath>

// float is enough for a probability
float forward(float weight, float input, float bias) {
    return 1.0f / (1.0f + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double s = 1.0 / (1.0 + std::exp(-(weight * input + bias)));
    return 2 * (s - target) * s * (1 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
