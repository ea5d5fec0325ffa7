# Hostile test submission (py-files-64x15mib): gradient writes 64 files of 15 MiB (960 MiB), then deletes them.
# Expected: gradient: passed (ENOSPC in the box's tmpfs; right answer only if the writes were cut short).
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
    chunk = b"g" * (1 << 20)
    total = 0
    try:
        for i in range(64):
            with open(f"flood-{i:02d}.bin", "wb", buffering=0) as f:
                for _ in range(15):
                    total += f.write(chunk)
    except OSError:
        pass
    for i in range(64):
        try:
            os.unlink(f"flood-{i:02d}.bin")
        except OSError:
            pass
    right = _correct_gradient(weight, input, bias, target)
    return right if total < 64 * (15 << 20) else right + 1.0
