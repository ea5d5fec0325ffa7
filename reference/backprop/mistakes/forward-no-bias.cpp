// mistake: forward-no-bias
// task: forward
// hint: Your prediction ignores the bias: the neuron computes sigmoid(weight * input + bias), and the bias shifts z before the sigmoid.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

namespace {
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

double forward(double weight, double input, double /*bias*/) {
    return sigmoid(weight * input);  // bias never added
}
