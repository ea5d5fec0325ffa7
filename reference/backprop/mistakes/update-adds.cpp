// mistake: update-adds
// task: update_weight
// hint: Gradient descent steps against the gradient: the new weight is weight - learning_rate * gradient, with a minus sign.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

double update_weight(double weight, double gradient, double learning_rate) {
    return weight + learning_rate * gradient;  // climbs the loss instead of descending
}
