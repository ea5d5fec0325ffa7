// mistake: forward-integer-z
// task: forward
// hint: The weighted sum z = weight * input + bias was cut to a whole number: keep it in a double, since its fractional part changes the prediction.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double forward(double weight, double input, double bias) {
    const int z = static_cast<int>(weight * input + bias);  // truncated toward zero
    return sigmoid(z);
}
