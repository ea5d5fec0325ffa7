import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def batch_gradient(weight, bias, inputs, targets):
    total = 0.0
    for x, t in zip(inputs, targets):
        p = sigmoid(weight * x + bias)
        total += 2 * (p - t) * p * (1 - p) * x
    return total / len(inputs)


def mse(weight, bias, inputs, targets):
    return sum((sigmoid(weight * x + bias) - t) ** 2 for x, t in zip(inputs, targets)) / len(inputs)


def train(weight, bias, inputs, targets, learning_rate, epochs):
    for _ in range(epochs):
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets)
    return weight


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    losses = []
    for _ in range(epochs):
        weight -= learning_rate * batch_gradient(weight, bias, inputs, targets)
        losses.append(mse(weight, bias, inputs, targets))
    return losses


if __name__ == "__main__":
    print(loss_curve(0.5, 0.3, [1.5, -0.8, 2.2], [1.0, 0.0, 0.7], 0.1, 4))
