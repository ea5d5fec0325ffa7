# Hostile test submission (py-ptrace-init): gradient tries ptrace(PTRACE_ATTACH, 1) through ctypes.
# Expected: gradient: passed (right answer only if ptrace FAILED).
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import ctypes
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
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.restype = ctypes.c_long
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    attached = libc.ptrace(16, 1, None, None)  # PTRACE_ATTACH
    if attached == 0:
        libc.ptrace(17, 1, None, None)  # PTRACE_DETACH
    right = _correct_gradient(weight, input, bias, target)
    return right + 1.0 if attached == 0 else right
