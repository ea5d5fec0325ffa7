import numpy as np


def predict(weight, bias, inputs):
    return 1 / (1 + np.exp(-(weight * np.asarray(inputs) + bias)))


def batch_gradient(weight, bias, inputs, targets):
    x = np.asarray(inputs)
    p = predict(weight, bias, x)
    return np.mean(2 * (p - np.asarray(targets)) * p * (1 - p) * x)  # a numpy.float64


def train(weight, bias, inputs, targets, learning_rate, epochs):
    w = np.float64(weight)
    for _ in range(epochs):
        w = w - learning_rate * batch_gradient(w, bias, inputs, targets)
    return w


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    losses = np.zeros(epochs)
    w = weight
    for epoch in range(epochs):
        w = w - learning_rate * batch_gradient(w, bias, inputs, targets)
        losses[epoch] = np.mean((predict(w, bias, inputs) - np.asarray(targets)) ** 2)
    return losses  # a numpy array
