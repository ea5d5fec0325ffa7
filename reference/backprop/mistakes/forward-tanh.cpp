// mistake: forward-tanh
// task: forward
// hint: You used tanh as the activation; this neuron uses the logistic sigmoid 1 / (1 + e^-z), whose outputs lie between 0 and 1.
// A model of a classic wrong answer, used to recognise it in submissions;
// the functions it gets right are left out.
#include "backprop.hpp"

#include <cmath>

double forward(double weight, double input, double bias) {
    return std::tanh(weight * input + bias);  // wrong activation
}
