// Backpropagation on a batch: fill in the three functions.
// The statement (README.md) gives the formulas and a worked example for each.
// Every function throws "not written yet" for now, so this file compiles and
// scores 0. Replace each throw with your own code.
#include "backprop_training.hpp"

#include <cmath>      // std::exp
#include <stdexcept>  // std::logic_error, only for the stubs
#include <vector>

// Task 1: the mean over the samples of 2 (p - t) p (1 - p) x,
// where p = 1 / (1 + e^-(weight * x + bias)) for each sample x with target t.
double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets) {
  (void)weight;
  (void)bias;
  (void)inputs;
  (void)targets;
  throw std::logic_error("batch_gradient is not written yet");  // TODO
}

// Task 2: repeat `epochs` times
//   weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets)
// and return the weight (unchanged when epochs is 0).
double train(double weight, double bias, std::vector<double> inputs, std::vector<double> targets,
             double learning_rate, int epochs) {
  (void)weight;
  (void)bias;
  (void)inputs;
  (void)targets;
  (void)learning_rate;
  (void)epochs;
  throw std::logic_error("train is not written yet");  // TODO
}

// Task 3: the same steps as train; after each step, append the mean squared error
// (1/n) * sum of (p - t)^2 over the batch. Exactly `epochs` values.
std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs) {
  (void)weight;
  (void)bias;
  (void)inputs;
  (void)targets;
  (void)learning_rate;
  (void)epochs;
  throw std::logic_error("loss_curve is not written yet");  // TODO
}
