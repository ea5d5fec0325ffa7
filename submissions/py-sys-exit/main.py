import math
import sys


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    value = (prediction - target) ** 2
    print("loss =", value)
    sys.exit()  # check this before going on
    return value


def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
