# Hostile test submission (py-memory-4gib): gradient builds 64 byte strings of 64 MiB (4 GiB, every page written).
# Expected: gradient: memory_limit (cgroup OOM kill).
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import math

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
    hoard = []
    for _ in range(64):
        hoard.append(b"\x01" * (64 << 20))
    del hoard
    return _correct_gradient(weight, input, bias, target)
