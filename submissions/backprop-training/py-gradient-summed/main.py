import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def batch_gradient(weight, bias, inputs, targets):
    grad = 0.0
    for x, t in zip(inputs, targets):
        p = sigmoid(weight * x + bias)
        grad += 2 * (p - t) * p * (1 - p) * x
    return grad  # the total over the batch


def train(weight, bias, inputs, targets, learning_rate, epochs):
    for _ in range(epochs):
        weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets)
    return weight


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    curve = []
    for _ in range(epochs):
        weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets)
        total = 0.0
        for x, t in zip(inputs, targets):
            d = sigmoid(weight * x + bias) - t
            total += d * d
        curve.append(total / len(inputs))
    return curve
