// mistake: missing-factor-2
// task: gradient
// hint: Your gradient is half the expected value: the derivative of (p - t)^2 with respect to p is 2(p - t), and that factor 2 stays in the chain rule.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double bias, double target) {
    const double s = sigmoid(weight * input + bias);
    return (s - target) * s * (1.0 - s) * input;  // the 2 of d(p - t)^2/dp is gone
}
