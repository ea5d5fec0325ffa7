// mistake: missing-sigmoid-derivative
// task: gradient
// hint: Your gradient skips the activation: the prediction depends on the weight through sigmoid(z), so the chain rule needs the factor sigmoid'(z) = s(1 - s) between 2(s - t) and the input.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double bias, double target) {
    const double s = sigmoid(weight * input + bias);
    return 2.0 * (s - target) * input;  // no sigma'(z) factor
}
