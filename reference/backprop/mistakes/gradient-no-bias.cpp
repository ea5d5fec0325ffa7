// mistake: gradient-no-bias
// task: gradient
// hint: Your gradient evaluates the neuron without its bias: s must be sigmoid(weight * input + bias), the same prediction that forward returns.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double /*bias*/, double target) {
    const double s = sigmoid(weight * input);  // bias left out of z
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}
