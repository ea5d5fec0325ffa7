#include <cmath>
#include <cstdio>

// keep every gradient we compute so we can plot them later
static double* grad_history = nullptr;
static int n_grads = 0;

double forward(double weight, double input, double bias) {
    return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    double g = 2.0 * (s - target) * s * (1.0 - s) * input;
    grad_history[n_grads++] = g;   // forgot to allocate grad_history
    return g;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
