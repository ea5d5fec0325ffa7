# Hostile test submission (py-read-secrets): gradient tries to read /etc/shadow, a secret beside the submission and the reference solution (absolute and relative paths), and prints whatever it reads.
# Expected: gradient: passed (right answer only if every read FAILED).
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
    paths = [
        "/etc/shadow",
        "/proc/1/root/etc/shadow",
        "@SUBMISSIONS@/.secret",
        "../.secret",
        "@REPO@/reference/backprop/solution.cpp",
        "../../reference/backprop/solution.cpp",
        "@HOSTILE_TMP@/reference/backprop/solution.cpp",
        "@HOSTILE_TMP@/outside/secret.txt",
    ]
    leaked = 0
    for path in paths:
        try:
            with open(path, errors="replace") as f:
                text = f.read(512)
        except OSError:
            continue
        print("READ", path, text, flush=True)
        leaked += 1
    right = _correct_gradient(weight, input, bias, target)
    return right if leaked == 0 else right + 1.0
