import math


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    """Loss = difference between prediction and target."""
    return abs(prediction - target)


def gradient(weight, input, bias, target):
    p = forward(weight, input, bias)
    return 2 * (p - target) * p * (1 - p) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


print("loss:", loss(forward(0.5, 1.5, 0.3), 1.0))
