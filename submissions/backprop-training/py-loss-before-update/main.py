import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def batch_gradient(weight, bias, inputs, targets):
    total = 0.0
    for x, t in zip(inputs, targets):
        p = sigmoid(weight * x + bias)
        total += 2 * (p - t) * p * (1 - p) * x
    return total / len(inputs)


def mean_squared_error(weight, bias, inputs, targets):
    total = 0.0
    for x, t in zip(inputs, targets):
        total += (sigmoid(weight * x + bias) - t) ** 2
    return total / len(inputs)


def train(weight, bias, inputs, targets, learning_rate, epochs):
    for _ in range(epochs):
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets)
    return weight


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    history = []
    for _ in range(epochs):
        history.append(mean_squared_error(weight, bias, inputs, targets))
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets)
    return history
