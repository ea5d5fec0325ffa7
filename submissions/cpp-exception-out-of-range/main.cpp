#include <cmath>
#include <vector>

std::vector<double> losses;   // loss of every step

double forward(double weight, double input, double bias) {
    double z = weight * input + bias;
    return 1.0 / (1.0 + std::exp(-z));
}

double loss(double prediction, double target) {
    double d = prediction - target;
    losses.push_back(d * d);
    return losses.at(losses.size());   // the last one
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
