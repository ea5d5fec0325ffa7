import math


def forward(weight, input, bias):
    z = weight * input + bias
    return 1 / (1 + math.exp(-z))


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    output = forward(weight, input, bias)
    error = target - output
    return 2 * error * output * (1 - output) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


if __name__ == "__main__":
    print(gradient(0.5, 1.5, 0.3, 1))
