import math


def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2
