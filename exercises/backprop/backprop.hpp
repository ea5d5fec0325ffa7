// backprop.hpp - the four functions of the backprop exercise (one sigmoid neuron).
//
// Including this header is optional: the grader only needs the four functions
// to be defined at global scope with exactly these parameter and return types.
// Every value is a double; the grader compares your results with the expected
// ones within |actual - expected| <= max(1e-12, 1e-9 * |expected|).
#ifndef BACKPROP_HPP
#define BACKPROP_HPP

/// Task 1, forward pass: the neuron's prediction sigmoid(weight * input + bias),
/// where sigmoid(z) = 1 / (1 + e^(-z)). The result lies strictly between 0 and 1
/// for moderate z.
double forward(double weight, double input, double bias);

/// Task 2, loss: the squared error (prediction - target)^2. Never negative;
/// zero exactly when prediction == target.
double loss(double prediction, double target);

/// Task 3, gradient: d loss / d weight for the neuron above, that is
/// 2 * (s - target) * s * (1 - s) * input with s = forward(weight, input, bias).
/// The sign tells in which direction the loss grows when the weight grows.
double gradient(double weight, double input, double bias, double target);

/// Task 4, gradient descent step: weight - learning_rate * gradient.
/// A learning rate of 0 leaves the weight unchanged.
double update_weight(double weight, double gradient, double learning_rate);

#endif  // BACKPROP_HPP
