// backprop_training.hpp - the three functions of the backprop-training exercise:
// full-batch gradient descent on the weight of one sigmoid neuron, bias fixed.
//
// Including this header is optional: the grader only needs the three functions
// to be defined at global scope with these parameter and return types (a vector
// parameter may also be taken as const std::vector<double>&). The neuron predicts
// p = sigmoid(weight * x + bias) for a sample x; the loss of a batch is the mean
// squared error (1/n) * sum of (p_i - t_i)^2 over its n samples. Results are
// compared element by element within |actual - expected| <= max(1e-12, 1e-9 * |expected|).
#ifndef BACKPROP_TRAINING_HPP
#define BACKPROP_TRAINING_HPP

#include <vector>

/// Task 1: d loss / d weight for the whole batch, the mean over the samples of
/// 2 * (p_i - t_i) * p_i * (1 - p_i) * x_i. `inputs` and `targets` have the same
/// length n >= 1.
double batch_gradient(double weight, double bias, std::vector<double> inputs,
                      std::vector<double> targets);

/// Task 2: the weight after `epochs` full-batch steps
/// weight = weight - learning_rate * batch_gradient(weight, ...), each step using
/// the gradient at the current weight. epochs == 0 returns the weight unchanged.
double train(double weight, double bias, std::vector<double> inputs, std::vector<double> targets,
             double learning_rate, int epochs);

/// Task 3: the mean squared error of the batch measured after each step of
/// train(), so exactly `epochs` values (none for epochs == 0); the last one is
/// the loss of the weight that train() returns.
std::vector<double> loss_curve(double weight, double bias, std::vector<double> inputs,
                               std::vector<double> targets, double learning_rate, int epochs);

#endif  // BACKPROP_TRAINING_HPP
