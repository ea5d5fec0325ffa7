import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def batch_gradient(weight, bias, inputs, targets):
    n = len(inputs)
    total = 0.0
    for i in range(n):
        s = sigmoid(weight * inputs[i] + bias)
        total += 2 * (s - targets[i]) * s * (1 - s) * inputs[i]
    return total / n


def train(weight, bias, inputs, targets, learning_rate, epochs):
    for epoch in range(1, epochs):
        weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets)
    return weight


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        weight = weight - learning_rate * batch_gradient(weight, bias, inputs, targets)
        losses.append(sum((sigmoid(weight * x + bias) - t) ** 2
                          for x, t in zip(inputs, targets)) / len(inputs))
    return losses
