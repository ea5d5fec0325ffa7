import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def layer_forward(weights, biases, inputs):
    return [sigmoid(sum(w * x for w, x in zip(row, inputs)) + b) for row, b in zip(weights, biases)]


def output_delta(prediction, target):
    return [2 * (p - t) * p * (1 - p) for p, t in zip(prediction, target)]


def hidden_delta(next_weights, next_delta, activation):
    # each row of the weights times the deltas
    return [sum(w * d for w, d in zip(row, next_delta)) * a * (1 - a)
            for row, a in zip(next_weights, activation)]


def weight_gradient(delta, inputs):
    return [[d * x for x in inputs] for d in delta]
