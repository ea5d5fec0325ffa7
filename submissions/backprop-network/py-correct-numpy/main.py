import numpy as np


def layer_forward(weights, biases, inputs):
    z = np.array(weights) @ np.array(inputs) + np.array(biases)
    return 1 / (1 + np.exp(-z))


def output_delta(prediction, target):
    p, t = np.array(prediction), np.array(target)
    return 2 * (p - t) * p * (1 - p)


def hidden_delta(next_weights, next_delta, activation):
    a = np.array(activation)
    return (np.array(next_weights).T @ np.array(next_delta)) * a * (1 - a)


def weight_gradient(delta, inputs):
    return np.outer(delta, inputs)
