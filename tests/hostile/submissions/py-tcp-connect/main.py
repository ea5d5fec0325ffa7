# Hostile test submission (py-tcp-connect): gradient connects over TCP to 127.0.0.1 on a port the checker listens on.
# Expected: gradient: passed (right answer only if the connection FAILED).
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import math
import socket

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
    connected = False
    try:
        with socket.create_connection(("127.0.0.1", @PORT@), timeout=2):
            connected = True
    except OSError:
        pass
    right = _correct_gradient(weight, input, bias, target)
    return right + 1.0 if connected else right
