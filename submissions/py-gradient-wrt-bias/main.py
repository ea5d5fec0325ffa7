import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def forward(weight, input, bias):
    return sigmoid(weight * input + bias)


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    out = forward(weight, input, bias)
    delta = 2 * (out - target) * out * (1 - out)  # error signal
    return delta


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
