// backprop_network.hpp - the four functions of the backprop-network exercise:
// a layer of sigmoid units and backpropagation through two layers.
//
// Including this header is optional: the grader only needs the four functions to
// be defined at global scope with these parameter and return types (a vector or
// matrix parameter may also be taken as a const reference). A matrix is a vector
// of rows of equal length; the weights of a layer have one row per unit and one
// column per input. The loss is L = sum over the output units of (p - t)^2.
// Results are compared element by element (and by shape) within
// |actual - expected| <= max(1e-12, 1e-9 * |expected|).
#ifndef BACKPROP_NETWORK_HPP
#define BACKPROP_NETWORK_HPP

#include <vector>

/// Task 1: the activations sigmoid(W x + b) of a layer of m units with n inputs:
/// `weights` is m x n, `biases` has m values, `inputs` has n; returns m values.
std::vector<double> layer_forward(std::vector<std::vector<double>> weights,
                                  std::vector<double> biases, std::vector<double> inputs);

/// Task 2: dL/dz of the output layer, element-wise 2 (p - t) p (1 - p), for
/// predictions p and targets t of the same length.
std::vector<double> output_delta(std::vector<double> prediction, std::vector<double> target);

/// Task 3: dL/dz of a hidden layer of m units, element-wise (W_next^T delta_next) a (1 - a):
/// `next_weights` (k x m) are the weights of the layer above, `next_delta` its k deltas,
/// `activation` the m activations of this layer; returns m values.
std::vector<double> hidden_delta(std::vector<std::vector<double>> next_weights,
                                 std::vector<double> next_delta, std::vector<double> activation);

/// Task 4: dL/dW of a layer, the outer product of its m deltas and its n inputs:
/// an m x n matrix whose entry (i, j) is delta[i] * inputs[j] (the shape of W).
std::vector<std::vector<double>> weight_gradient(std::vector<double> delta,
                                                 std::vector<double> inputs);

#endif  // BACKPROP_NETWORK_HPP
