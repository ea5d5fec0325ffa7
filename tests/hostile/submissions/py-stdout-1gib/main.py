# Hostile test submission (py-stdout-1gib): gradient writes 1 GiB to stdout in 1 MiB writes.
# Expected: gradient: output_limit (stdout cap).
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import math
import os

def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2


def _correct_gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


def gradient(weight, input, bias, target):
    chunk = b"x" * (1 << 20)
    for _ in range(1024):
        os.write(1, chunk)
    return _correct_gradient(weight, input, bias, target)
