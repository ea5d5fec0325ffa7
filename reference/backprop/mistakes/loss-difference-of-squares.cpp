// mistake: loss-difference-of-squares
// task: loss
// hint: You computed p^2 - t^2, which is not (p - t)^2: square the difference, not each value separately.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

double loss(double prediction, double target) {
    return prediction * prediction - target * target;  // p^2 - t^2
}
