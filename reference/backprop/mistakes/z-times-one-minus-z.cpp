// mistake: z-times-one-minus-z
// task: gradient
// hint: The slope of the sigmoid is s(1 - s) with s = sigmoid(z), the neuron's output, not z(1 - z) with the weighted sum z itself.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double bias, double target) {
    const double z = weight * input + bias;
    const double s = sigmoid(z);
    return 2.0 * (s - target) * z * (1.0 - z) * input;  // z(1 - z) instead of s(1 - s)
}
