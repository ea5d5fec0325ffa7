#include <cmath>
#include <iostream>

double forward(double weight, double input, double bias) {
    return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
    double e = prediction - target;
    return e * e;
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

// keep 4 decimals, otherwise the weights get ugly (0.46999999999999997)
double update_weight(double weight, double gradient, double learning_rate) {
    double w = weight - learning_rate * gradient;
    return std::round(w * 10000.0) / 10000.0;
}

int main() {
    std::cout << "Updated weight: " << update_weight(0.5, 0.3, 0.1) << "\n";
}
