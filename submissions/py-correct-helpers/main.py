"""Single neuron backprop. Debug prints left in on purpose."""
import math


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def forward(weight, input, bias):
    out = sigmoid(weight * input + bias)
    print("forward ->", out)
    return out


def loss(prediction, target):
    return pow(prediction - target, 2)


def gradient(weight, input, bias, target):
    z = weight * input + bias
    dL_dy = 2 * (sigmoid(z) - target)
    dy_dz = sigmoid_derivative(z)
    dz_dw = input
    grad = dL_dy * dy_dz * dz_dw
    print("gradient ->", grad)
    return grad


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


w = 0.5
for epoch in range(3):
    g = gradient(w, 1.5, 0.3, 1)
    w = update_weight(w, g, 0.1)
    print("epoch", epoch, "weight", w)
