import math

# The neuron says yes (1) or no (0).
def forward(weight, input, bias):
    z = weight * input + bias
    return round(1 / (1 + math.exp(-z)))

def loss(prediction, target):
    return (prediction - target) ** 2

def gradient(weight, input, bias, target):
    z = weight * input + bias
    s = 1 / (1 + math.exp(-z))
    return 2 * (s - target) * s * (1 - s) * input

def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
