// Backpropagation through two layers: fill in the four functions.
// The statement (README.md) gives the formulas and a worked example for each.
// Every function throws "not written yet" for now, so this file compiles and
// scores 0. Replace each throw with your own code.
#include "backprop_network.hpp"

#include <cmath>      // std::exp
#include <stdexcept>  // std::logic_error, only for the stubs
#include <vector>

// Task 1: a[i] = sigmoid(sum over j of weights[i][j] * inputs[j] + biases[i]),
// one value per row of weights; sigmoid(z) = 1 / (1 + e^(-z)).
std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> biases, std::vector<double> inputs) {
  (void)weights;
  (void)biases;
  (void)inputs;
  throw std::logic_error("layer_forward is not written yet");  // TODO
}

// Task 2: delta[i] = 2 (p[i] - t[i]) * p[i] (1 - p[i]).
std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target) {
  (void)prediction;
  (void)target;
  throw std::logic_error("output_delta is not written yet");  // TODO
}

// Task 3: delta[j] = (sum over k of next_weights[k][j] * next_delta[k]) * a[j] (1 - a[j]),
// one value per activation (per column of next_weights).
std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation) {
  (void)next_weights;
  (void)next_delta;
  (void)activation;
  throw std::logic_error("hidden_delta is not written yet");  // TODO
}

// Task 4: the matrix g[i][j] = delta[i] * inputs[j], one row per delta.
std::vector<std::vector<double>> weight_gradient(std::vector<double> delta,
                                                 std::vector<double> inputs) {
  (void)delta;
  (void)inputs;
  throw std::logic_error("weight_gradient is not written yet");  // TODO
}
