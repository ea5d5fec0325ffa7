#include <cmath>
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
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

// TODO task 4 (update_weight) - ran out of time

int main() {
    double p = forward(0.5, 1.5, 0.3);
    std::cout << p << " " << loss(p, 1.0) << " " << gradient(0.5, 1.5, 0.3, 1.0) << std::endl;
}
