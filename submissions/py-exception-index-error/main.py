import math

history = []  # gradients of every step


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    history.append(2 * (s - target) * s * (1 - s) * input)
    return history[len(history)]  # latest gradient


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
