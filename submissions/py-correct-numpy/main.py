import numpy as np


def forward(weight, input, bias):
    return 1 / (1 + np.exp(-(weight * input + bias)))


def loss(prediction, target):
    return np.square(prediction - target)


def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    # a 0-d array, as some numpy functions return
    return np.array(weight - learning_rate * gradient)
