#include <cmath>
#include <iostream>

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double forward(double weight, double input, double bias) {
    return sigmoid(weight * input + bias);
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

// error = target - output (like in the perceptron rule)
double gradient(double weight, double input, double bias, double target) {
    double out = forward(weight, input, bias);
    double error = target - out;
    return 2 * error * out * (1 - out) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}

int main() {
    std::cout << "gradient = " << gradient(0.5, 1.5, 0.3, 1.0) << std::endl;
}
