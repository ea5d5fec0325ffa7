import math

def sigmoid(x):
    return 1 / (1 + math.exp(-x))

def forward(weight, input, bias):
    return sigmoid(weight * input + bias)

def loss(prediction, target):
    return (prediction - target) * (prediction - target)

def gradient(weight, input, bias, target):
    p = forward(weight, input, bias)
    # chain rule: dL/dp * dp/dz * dz/dw
    return (p - target) * p * (1 - p) * input

def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
