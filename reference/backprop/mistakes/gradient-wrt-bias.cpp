// mistake: gradient-wrt-bias
// task: gradient
// hint: This is the gradient with respect to the bias: z = weight * input + bias changes by input for each unit of weight, so d loss / d weight needs one more factor, the input.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double gradient(double weight, double input, double bias, double target) {
    const double s = sigmoid(weight * input + bias);
    return 2.0 * (s - target) * s * (1.0 - s);  // d z / d w = input is missing
}
