import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def layer_forward(weights, biases, inputs):
    out = []
    for i in range(len(weights)):
        z = biases[i]
        for j in range(len(inputs)):
            z += weights[i][j] * inputs[j]
        out.append(sigmoid(z))
    return out


def output_delta(prediction, target):
    return [2 * (p - t) * p * (1 - p) for p, t in zip(prediction, target)]


def hidden_delta(next_weights, next_delta, activation):
    out = []
    for j in range(len(activation)):
        s = 0.0
        for k in range(len(next_delta)):
            s += next_weights[k][j] * next_delta[k]
        out.append(s * activation[j] * (1 - activation[j]))
    return out


def weight_gradient(delta, inputs):
    return [[x * d for d in delta] for x in inputs]
