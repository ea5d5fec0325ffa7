# Hostile test submission (py-kill-all): gradient sends SIGKILL to every process it may signal and to its parent.
# Expected: gradient: passed; the canaries outside survive.
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import math
import os
import signal

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
    for pid in (-1, os.getppid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return _correct_gradient(weight, input, bias, target)
