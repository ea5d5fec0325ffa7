// mistake: loss-halved
// task: loss
// hint: Your loss is half the expected value: some books use (p - t)^2 / 2, but this exercise defines the loss as (p - t)^2 with no factor 1/2.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

double loss(double prediction, double target) {
    const double d = prediction - target;
    return 0.5 * d * d;  // the 1/2 convention of other texts
}
