import math


def forward(weight, input, bias):
    z = weight * input + bias
    prediction = 1 / (1 + math.exp(-z))
    return round(prediction, 4)


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    z = weight * input + bias
    s = 1 / (1 + math.exp(-z))
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


print(f"Prediction: {forward(0.5, 1.5, 0.3)}")
