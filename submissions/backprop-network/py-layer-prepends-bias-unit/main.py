import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def layer_forward(weights, biases, inputs):
    # a constant 1 in front, as the bias input of the next layer
    activations = [1.0]
    for row, b in zip(weights, biases):
        activations.append(sigmoid(sum(w * x for w, x in zip(row, inputs)) + b))
    return activations


def output_delta(prediction, target):
    return [2 * (p - t) * p * (1 - p) for p, t in zip(prediction, target)]


def hidden_delta(next_weights, next_delta, activation):
    return [sum(row[j] * d for row, d in zip(next_weights, next_delta)) * a * (1 - a)
            for j, a in enumerate(activation)]


def weight_gradient(delta, inputs):
    return [[d * x for x in inputs] for d in delta]
