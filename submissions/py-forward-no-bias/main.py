import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def forward(weight, input, bias):
    # output = activation(weight * input)
    return sigmoid(weight * input)


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    s = sigmoid(weight * input + bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
