import math

def forward(weight, input, bias):
    z = weight * input + bias
    # keep exp() from overflowing
    z = max(-6.0, min(6.0, z))
    return 1 / (1 + math.exp(-z))

def loss(prediction, target):
    return (prediction - target) ** 2

def gradient(weight, input, bias, target):
    s = 1 / (1 + math.exp(-(weight * input + bias)))
    return 2 * (s - target) * s * (1 - s) * input

def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
