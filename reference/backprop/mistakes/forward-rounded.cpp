// mistake: forward-rounded
// task: forward
// hint: Your prediction is rounded to 2 decimals: return the full-precision value and round only when printing it.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double forward(double weight, double input, double bias) {
    const double p = sigmoid(weight * input + bias);
    return std::round(p * 100.0) / 100.0;  // rounded for display, too early
}
