#include <cmath>

// wanted to write exp() myself (Taylor series) to see how it works
double my_exp(double x) {
    double sum = 1.0, term = 1.0;
    int n = 1;
    while (n < 60) {
        term = term * x / n;
        sum = sum + term;
    }
    return sum;
}

double forward(double weight, double input, double bias) {
    double z = weight * input + bias;
    return 1.0 / (1.0 + my_exp(-z));
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double s = 1.0 / (1.0 + std::exp(-(weight * input + bias)));
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
