# Hostile test submission (py-sleep-forever): gradient sleeps (30 s, first call only).
# Expected: gradient: timeout (wall clock).
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import math
import time

def forward(weight, input, bias):
    return 1 / (1 + math.exp(-(weight * input + bias)))


def loss(prediction, target):
    return (prediction - target) ** 2


def _correct_gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient


_slept = False


def gradient(weight, input, bias, target):
    global _slept
    if not _slept:
        _slept = True
        time.sleep(30)
    return _correct_gradient(weight, input, bias, target)
