# Hostile test submission (py-file-1gib): gradient writes a 1 GiB file in its working directory.
# Expected: gradient: passed. Python ignores SIGXFSZ, so RLIMIT_FSIZE shows as an OSError (EFBIG) that the function catches; the right answer comes back only if the write was cut short.
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
    chunk = b"f" * (1 << 20)
    total = 0
    try:
        with open("flood.bin", "wb", buffering=0) as f:
            for _ in range(1024):
                total += f.write(chunk)
    except OSError:
        pass
    try:
        os.unlink("flood.bin")
    except OSError:
        pass
    right = _correct_gradient(weight, input, bias, target)
    return right if total < (1 << 30) else right + 1.0
