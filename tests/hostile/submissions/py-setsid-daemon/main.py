# Hostile test submission (py-setsid-daemon): gradient (first call) starts a setsid double-fork daemon that creates host marker files after 2 s.
# Expected: gradient: passed; no marker, no process left.
# Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
# Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
import math
import os
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


def _tag_process():
    """Names this process after the run's tag, so the checker can tell our leftovers apart."""
    try:
        with open("/proc/self/comm", "w") as f:
            f.write("@TAG@")
    except OSError:
        pass


_started = False


def gradient(weight, input, bias, target):
    global _started
    if not _started:
        _started = True
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
                if os.fork() == 0:
                    _tag_process()
                    time.sleep(2)
                    for path in ("/tmp/grader-hostile-marker-@TOKEN@-pydaemon", "@MARKERS@/pydaemon"):
                        try:
                            open(path, "w").close()
                        except OSError:
                            pass
                    os.write(1, b"LEFTOVER-ALIVE pydaemon\n")
                    time.sleep(20)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    return _correct_gradient(weight, input, bias, target)
