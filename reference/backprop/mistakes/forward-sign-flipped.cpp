// mistake: forward-sign-flipped
// task: forward
// hint: Your sigmoid has the wrong sign in the exponent: sigmoid(z) = 1 / (1 + e^-z) grows with z, while 1 / (1 + e^z) falls.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

double forward(double weight, double input, double bias) {
    return 1.0 / (1.0 + std::exp(weight * input + bias));  // e^z instead of e^-z
}
