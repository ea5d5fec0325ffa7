import math


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    # do the update in small steps so it is smooth
    steps = 10
    i = 0
    while i < steps:
        weight = weight - learning_rate * gradient / steps
    return weight
