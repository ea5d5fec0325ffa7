// mistake: gradient-sign-flipped
// task: gradient
// hint: Your gradient has the right size but the wrong sign: the derivative of (p - t)^2 is 2(p - t), prediction minus target, and it is positive when the prediction is too high.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double bias, double target) {
    const double s = sigmoid(weight * input + bias);
    return 2.0 * (target - s) * s * (1.0 - s) * input;  // (t - s) instead of (s - t)
}
