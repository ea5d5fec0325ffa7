import math

print("Neuron training")


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    prediction = forward(weight, input, bias)
    # d(loss)/d(weight) = 2 * (output - target) * input
    return 2 * (prediction - target) * input


def update_weight(weight, gradient, learning_rate):
    new_weight = weight - learning_rate * gradient
    return new_weight


w = 0.5
print("gradient:", gradient(w, 1.5, 0.3, 1.0))
print("new weight:", update_weight(w, gradient(w, 1.5, 0.3, 1.0), 0.1))
