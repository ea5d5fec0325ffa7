"""Backpropagation for one sigmoid neuron: fill in the four functions.

The statement (README.md) gives the formulas and a worked example for each.
Every function raises NotImplementedError for now, so this file runs and
scores 0 (a stub returning 0.0 would pass the few tests whose answer is 0).
Replace each raise with your own code.
"""
import math


def forward(weight, input, bias):
    """Task 1: the prediction sigmoid(z), where z = weight * input + bias
    and sigmoid(z) = 1 / (1 + e**(-z))  (math.exp(-z) computes e**(-z))."""
    raise NotImplementedError("forward is not written yet")  # TODO


def loss(prediction, target):
    """Task 2: the squared error (prediction - target)**2."""
    raise NotImplementedError("loss is not written yet")  # TODO


def gradient(weight, input, bias, target):
    """Task 3: d loss / d weight = 2 (s - target) * s (1 - s) * input,
    with s = sigmoid(weight * input + bias) computed again here."""
    raise NotImplementedError("gradient is not written yet")  # TODO


def update_weight(weight, gradient, learning_rate):
    """Task 4: one gradient descent step, weight - learning_rate * gradient."""
    raise NotImplementedError("update_weight is not written yet")  # TODO


if __name__ == "__main__":
    # Try your functions here; the grader does not run this block.
    try:
        print("forward(0.5, 1.5, 0.3) =", forward(0.5, 1.5, 0.3))
        print("update_weight(0.5, 0.3, 0.1) =", update_weight(0.5, 0.3, 0.1), "(expected 0.47)")
    except NotImplementedError as error:
        print("not finished yet:", error)
