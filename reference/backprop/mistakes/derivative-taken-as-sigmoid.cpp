// mistake: derivative-taken-as-sigmoid
// task: gradient
// hint: You multiplied by sigmoid(z) where the chain rule needs its derivative, sigmoid'(z) = s(1 - s).
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double bias, double target) {
    const double s = sigmoid(weight * input + bias);
    return 2.0 * (s - target) * s * input;  // sigma(z) where sigma'(z) belongs
}
