"""Backpropagation on a batch: fill in the three functions.

The statement (README.md) gives the formulas and a worked example for each.
Every function raises NotImplementedError for now, so this file runs and
scores 0. Replace each raise with your own code.
"""
import math


def batch_gradient(weight, bias, inputs, targets):
    """Task 1: the mean over the samples of 2 (p - t) p (1 - p) x,
    with p = 1 / (1 + math.exp(-(weight * x + bias))) for each sample x, target t."""
    raise NotImplementedError("batch_gradient is not written yet")  # TODO


def train(weight, bias, inputs, targets, learning_rate, epochs):
    """Task 2: repeat `epochs` times
    weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets),
    then return the weight (unchanged when epochs is 0)."""
    raise NotImplementedError("train is not written yet")  # TODO


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    """Task 3: the same steps as train; after each one, append the mean squared
    error (1/n) * sum of (p - t)**2 over the batch. Returns `epochs` values."""
    raise NotImplementedError("loss_curve is not written yet")  # TODO


if __name__ == "__main__":
    # Try your functions here; the grader does not run this block.
    inputs, targets = [1.5, -0.8, 2.2], [1.0, 0.0, 0.7]
    try:
        print("batch_gradient =", batch_gradient(0.5, 0.3, inputs, targets),
              "(expected about -0.0891743076471812)")
        print("loss_curve =", loss_curve(0.5, 0.3, inputs, targets, 0.1, 4))
    except NotImplementedError as error:
        print("not finished yet:", error)
