import math

import pandas as pd  # for printing a table of the results


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


if __name__ == "__main__":
    print(pd.DataFrame({"prediction": [forward(0.5, 1.5, 0.3)]}))
