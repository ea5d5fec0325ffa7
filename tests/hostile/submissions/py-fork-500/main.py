# Hostile test submission (py-fork-500): gradient (first call) forks up to 500 children that each wait (at most 20 s), then kills and reaps them.
# Expected: gradient: passed (right answer only if fewer than 500 forks succeeded).
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


def _tag_process():
    """Names this process after the run's tag, so the checker can tell our leftovers apart."""
    try:
        with open("/proc/self/comm", "w") as f:
            f.write("@TAG@")
    except OSError:
        pass

_done = False


def gradient(weight, input, bias, target):
    # Only the first call per process: the box's CPU limit counts every process of the run,
    # and 21 calls x 30 forks of the interpreter would spend it on process creation alone.
    global _done
    kids = []
    for _ in range(0 if _done else 500):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                _tag_process()
                signal.alarm(20)
                signal.pause()
            finally:
                os._exit(0)
        kids.append(pid)
    for pid in kids:
        os.kill(pid, signal.SIGKILL)
    for pid in kids:
        os.waitpid(pid, 0)
    if not _done:
        print("forks that succeeded:", len(kids), flush=True)
    _done = True
    right = _correct_gradient(weight, input, bias, target)
    return right if len(kids) < 500 else right + 1.0
