// mistake: loss-absolute
// task: loss
// hint: This loss is the absolute error |p - t|; the exercise asks for the squared error (p - t)^2.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

double loss(double prediction, double target) {
    return std::fabs(prediction - target);  // not squared
}
