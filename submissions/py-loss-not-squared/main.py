import math

def forward(weight, input, bias):
    z = weight * input + bias
    return 1 / (1 + math.exp(-z))

# Task 2: loss (difference between prediction and target)
def loss(prediction, target):
    return prediction - target

def gradient(weight, input, bias, target):
    p = forward(weight, input, bias)
    return 2 * (p - target) * p * (1 - p) * input

def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
