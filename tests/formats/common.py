"""Shared by the format checks: a pass/fail counter and a class folder with a hostile student."""

import pathlib
import sys
import shutil


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


# A student whose name and output carry markup, quotes, commas, control characters and invalid
# UTF-8: every format must stay well formed and show it escaped.
HOSTILE_NAME = 'evil, "<b>&\'x'
HOSTILE_SOURCE = r'''import math, sys

def forward(weight, input, bias):
    sys.stdout.buffer.write(b"\x00\x01\x07\x1b[31m<script>alert(1)</script> ]]> &amp; \xff\xfe\n")
    sys.stdout.flush()
    return 1 / (1 + math.exp(-(weight * input)))

def loss(prediction, target):
    raise ValueError("bad \x01\x1b <tag attr=\"v\"> & ]]> done")

def gradient(weight, input, bias, target):
    s = forward(weight, input, bias)
    return 2 * (s - target) * s * (1 - s) * input

def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
'''


def make_class(root, dest, limit=None):
    """Copies the example submissions (all, or the first `limit`) and the hostile one into
    `dest`; returns the ids."""
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    # Folders named after another exercise hold that exercise's examples, not submissions.
    exercises = {p.name for p in (pathlib.Path(root) / "exercises").iterdir() if p.is_dir()}
    entries = sorted(p for p in (pathlib.Path(root) / "submissions").iterdir()
                     if not p.name.startswith(".") and p.name != "README.md"
                     and p.name not in exercises)
    if limit is not None:
        entries = entries[:limit]
    for p in entries:
        if p.is_dir():
            shutil.copytree(p, dest / p.name)
        else:
            shutil.copy2(p, dest / p.name)
    (dest / f"{HOSTILE_NAME}.py").write_text(HOSTILE_SOURCE)
    return sorted([p.stem if p.is_file() else p.name for p in entries] + [HOSTILE_NAME])
