import math


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    l = (prediction - target) ** 2
    return f"{l:.6f}"


def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


if __name__ == "__main__":
    print("Loss:", loss(forward(0.5, 1.5, 0.3), 1))
