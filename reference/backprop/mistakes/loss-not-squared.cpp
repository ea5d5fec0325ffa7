// mistake: loss-not-squared
// task: loss
// hint: You return the plain difference p - t, which can be negative; the loss is its square, (p - t)^2.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

double loss(double prediction, double target) {
    return prediction - target;  // the square is missing
}
