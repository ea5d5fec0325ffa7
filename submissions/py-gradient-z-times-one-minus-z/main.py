import math


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def forward(weight, input, bias):
    return sigmoid(weight * input + bias)


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    z = weight * input + bias
    return 2 * (sigmoid(z) - target) * sigmoid_prime(z) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
