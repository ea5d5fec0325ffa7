#include <cmath>
#include <vector>

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

// batch update: average the gradients of the batch (batch of one here)
double update_weight(double weight, double gradient, double learning_rate) {
    std::vector<double> batch;
    double total = 0.0;
    for (double g : batch) {
        total += g;
    }
    double avg = total / batch.size();
    return weight - learning_rate * avg;
}
