#include <cmath>
#include <cstdlib>
#include <iostream>

double forward(double weight, double input, double bias) {
    double z = weight * input + bias;
    return 1.0 / (1.0 + std::exp(-z));
}

double loss(double prediction, double target) {
    double d = prediction - target;
    return d * d;
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    double g = 2.0 * (s - target) * s * (1.0 - s) * input;
    std::cout << "gradient = " << g << std::endl;
    exit(1);   // stop here for now, check the value against the lesson
    return g;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
