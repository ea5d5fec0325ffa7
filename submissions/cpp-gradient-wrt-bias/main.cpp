#include <cmath>
#include <iostream>

double forward(double weight, double input, double bias) {
    double z = weight * input + bias;
    return 1.0 / (1.0 + std::exp(-z));
}

double loss(double prediction, double target) {
    double e = prediction - target;
    return e * e;
}

// backward pass
double gradient(double weight, double input, double bias, double target) {
    double a = forward(weight, input, bias);
    double delta = 2.0 * (a - target) * a * (1.0 - a);
    return delta;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}

int main() {
    double p = forward(0.5, 1.5, 0.3);
    std::cout << "prediction " << p << "\n";
    std::cout << "loss " << loss(p, 1.0) << "\n";
    std::cout << "grad " << gradient(0.5, 1.5, 0.3, 1.0) << "\n";
}
