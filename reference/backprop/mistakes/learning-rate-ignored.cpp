// mistake: learning-rate-ignored
// task: update_weight
// hint: The learning rate sets the step size: subtract learning_rate * gradient from the weight, not the whole gradient.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

double update_weight(double weight, double gradient, double /*learning_rate*/) {
    return weight - gradient;  // full step whatever the learning rate
}
