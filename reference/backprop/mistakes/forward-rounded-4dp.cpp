// mistake: forward-rounded-4dp
// task: forward
// hint: Your prediction is rounded to 4 decimals, which keeps only about 4 significant digits: return the unrounded value and round only for display.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double forward(double weight, double input, double bias) {
    const double p = sigmoid(weight * input + bias);
    return std::round(p * 10000.0) / 10000.0;  // 4 decimals, as a print would show
}
