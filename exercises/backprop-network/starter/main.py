"""Backpropagation through two layers: fill in the four functions.

The statement (README.md) gives the formulas and a worked example for each.
Every function raises NotImplementedError for now, so this file runs and
scores 0. Replace each raise with your own code. Vectors are lists of floats,
matrices lists of rows.
"""
import math


def layer_forward(weights, biases, inputs):
    """Task 1: a[i] = sigmoid(sum_j weights[i][j] * inputs[j] + biases[i]), one value
    per row of weights; sigmoid(z) = 1 / (1 + math.exp(-z))."""
    raise NotImplementedError("layer_forward is not written yet")  # TODO


def output_delta(prediction, target):
    """Task 2: delta[i] = 2 (p[i] - t[i]) * p[i] (1 - p[i])."""
    raise NotImplementedError("output_delta is not written yet")  # TODO


def hidden_delta(next_weights, next_delta, activation):
    """Task 3: delta[j] = (sum_k next_weights[k][j] * next_delta[k]) * a[j] (1 - a[j]),
    one value per activation (per column of next_weights)."""
    raise NotImplementedError("hidden_delta is not written yet")  # TODO


def weight_gradient(delta, inputs):
    """Task 4: the matrix g[i][j] = delta[i] * inputs[j], one row per delta."""
    raise NotImplementedError("weight_gradient is not written yet")  # TODO


if __name__ == "__main__":
    # Try your functions here; the grader does not run this block.
    x = [1.5, -0.7]
    w1, b1 = [[0.5, -1.2], [0.8, 0.3], [-0.4, 1.1]], [0.3, -0.25, 0.1]
    try:
        print("hidden layer:", layer_forward(w1, b1, x))
        print("(expected about [0.8687555305614766, 0.6769958562385231, 0.21925725208787172])")
    except NotImplementedError as error:
        print("not finished yet:", error)
