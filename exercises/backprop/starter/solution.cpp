// Backpropagation for one sigmoid neuron: fill in the four functions.
// The statement (README.md) gives the formulas and a worked example for each.
// Every function throws "not written yet" for now, so this file compiles and
// scores 0 (a stub returning 0.0 would pass the few tests whose answer is 0).
// Replace each throw with your own code.
#include "backprop.hpp"

#include <cmath>      // std::exp
#include <stdexcept>  // std::logic_error, only for the stubs

// Task 1: the prediction sigmoid(z), where z = weight * input + bias
// and sigmoid(z) = 1 / (1 + e^(-z)).
double forward(double weight, double input, double bias) {
  (void)weight;
  (void)input;
  (void)bias;
  throw std::logic_error("forward is not written yet");  // TODO
}

// Task 2: the squared error (prediction - target)^2.
double loss(double prediction, double target) {
  (void)prediction;
  (void)target;
  throw std::logic_error("loss is not written yet");  // TODO
}

// Task 3: d loss / d weight = 2 (s - target) * s (1 - s) * input,
// with s = sigmoid(weight * input + bias) computed again here.
double gradient(double weight, double input, double bias, double target) {
  (void)weight;
  (void)input;
  (void)bias;
  (void)target;
  throw std::logic_error("gradient is not written yet");  // TODO
}

// Task 4: one gradient descent step, weight - learning_rate * gradient.
// Example from the lesson: update_weight(0.5, 0.3, 0.1) is 0.47.
double update_weight(double weight, double gradient, double learning_rate) {
  (void)weight;
  (void)gradient;
  (void)learning_rate;
  throw std::logic_error("update_weight is not written yet");  // TODO
}
