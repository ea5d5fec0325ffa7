from math import e


def sigmoid(z):
    return 1.0 / (1.0 + e ** -z)


def forward(weight, input, bias):
    return sigmoid(weight * input + bias)


def loss(prediction, target):
    diff = prediction - target
    return diff * diff


def gradient(weight, input, bias, target):
    z = weight * input + bias
    s = sigmoid(z)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    weight -= learning_rate * gradient
    return weight
