#!/usr/bin/env python3
"""Checks the backprop exercise data against its reference and mistake catalogue.

    python3 tests/reference/catalogue_test.py REPO_ROOT

Standard library only. It re-implements, in Python floats, the correct ways
of computing the four functions and every mistake of
reference/backprop/mistakes/, computes the true answers in 120-digit decimal
arithmetic from the exact double inputs, and asserts the rules of
NUMERICS.md section 4 on exercises/backprop/exercise.json:

- the spec has the documented shape; every task has at least 12 graded cases
  (explicit ones plus generated.count) and no explicit case has |z| > 700;
- the visible cases are the NUMERICS core cases (plus U6), with the values
  listed there;
- every correct variant passes every explicit case at the task tolerance;
- every mistake fails at least 3 visible core cases of each task it names,
  and two mistakes of one task never give the same answers on all of them;
- every mistake file has the machine-read header and a model here;
- the generation ranges are sane: on points drawn by this script in those
  ranges (the grader's own generator cannot be reproduced here), cases are
  accepted often enough, |z| stays small and mostly in [0.3, 6], the correct
  variants pass and every mistake fails almost always.

Prints one line per failed check and a summary "N passed, M failed"; exits 1
when a check failed.
"""

import decimal
import json
import math
import os
import random
import re
import struct
import sys
from fractions import Fraction

TASKS = ["forward", "loss", "gradient", "update_weight"]
PARAMS = {
    "forward": ["weight", "input", "bias"],
    "loss": ["prediction", "target"],
    "gradient": ["weight", "input", "bias", "target"],
    "update_weight": ["weight", "gradient", "learning_rate"],
}
MIN_CASES_PER_TASK = 12
MIN_CORE_FAILURES = 3
MAX_ABS_Z = 700.0

# NUMERICS.md section 4: the core cases and their expected values. U6 is ours:
# without it the 4-decimal rounding of the update fails only 2 core cases.
CORE = {
    "forward": {
        "F1": ((0.5, 1.5, 0.3), 0.740774899182154),
        "F2": ((-1.2, 0.8, 0.3), 0.3407396115486146),
        "F3": ((2.0, -3.0, 1.4), 0.0099518018669043206),
        "F4": ((0.75, 4.0, -1.5), 0.81757447619364365),
        "F5": ((-0.3, -2.5, -0.2), 0.63413559101080064),
        "F6": ((1.5, 2.0, 2.3), 0.99503319834994308),
    },
    "loss": {
        "L1": ((0.7310585786300049, 1.0), 0.072329488128513253),
        "L2": ((0.3407396115486146, 0.0), 0.11610348287830077),
        "L3": ((0.6341355910108007, 0.3), 0.11164659318013712),
        "L4": ((0.3542, 0.8), 0.19873764000000002),
        "L5": ((0.91, 0.137), 0.59752899999999998),
        "L6": ((0.0474258731775668, 0.25), 0.04103627685787125),
    },
    "gradient": {
        "G1": ((0.5, 1.5, 0.3, 1.0), -0.14933500364354052),
        "G2": ((-1.2, 0.8, 0.3, 0.0), 0.12246788355665174),
        "G3": ((2.0, -3.0, 1.4, 1.0), 0.058528264537487912),
        "G4": ((0.75, 4.0, -1.5, 0.3), 0.61755517445154329),
        "G5": ((-0.3, -2.5, -0.2, 0.9), 0.30841287473387247),
        "G6": ((1.0, 2.0, -0.7, 0.0), 0.52901896326785736),
    },
    "update_weight": {
        "U1": ((0.5, 0.3, 0.1), 0.46999999999999997),
        "U2": ((0.2, -1.5, 0.01), 0.21500000000000002),
        "U3": ((-0.8, 2.4, 0.35), -1.6399999999999999),
        "U4": ((1.2345, 0.0678, 0.05), 1.2311099999999999),
        "U5": ((0.4123, -0.2871, 0.03), 0.42091299999999998),
        "U6": ((-0.6273, 1.9134, 0.045), None),  # value checked against the truth only
    },
}
# NUMERICS.md section 4, "telling edge cases".
TELLING_EDGES = {
    ("gradient", (0.7, 0.0, 0.2, 1.0)): 0.0,
    ("gradient", (0.0, 3.0, 0.0, 1.0)): -0.75,
    ("gradient", (0.5, 1.5, 0.25, 0.7310585786)): 1.7697946885053462e-11,
    ("update_weight", (0.3, 3.0, 0.1)): -2.7755575615628914e-17,
}


# ---------------------------------------------------------------- the truth

_CONTEXT = decimal.Context(prec=120)


def _d(x):
    return decimal.Decimal(x)  # exact: every double is a finite decimal


def _sigmoid_exact(z):
    c = _CONTEXT
    return c.divide(1, c.add(1, c.exp(c.minus(z))))


def truth(task, args):
    """The exact answer for the exact double inputs, rounded once to a double."""
    c = _CONTEXT
    if task == "forward":
        w, x, b = map(_d, args)
        value = _sigmoid_exact(c.add(c.multiply(w, x), b))
    elif task == "loss":
        p, t = map(Fraction, args)
        return float((p - t) ** 2)
    elif task == "gradient":
        w, x, b, t = map(_d, args)
        s = _sigmoid_exact(c.add(c.multiply(w, x), b))
        value = c.multiply(c.multiply(c.multiply(2, c.subtract(s, t)),
                                      c.multiply(s, c.subtract(1, s))), x)
    else:
        w, g, lr = map(Fraction, args)
        if lr * g == 0:
            return args[0] - args[2] * args[1]  # keeps the sign of a zero weight
        return float(w - lr * g)
    return float(value)


def z_of(task, args):
    if task in ("forward", "gradient"):
        return args[0] * args[1] + args[2]
    return None


# ------------------------------------------------------- correct variants

def _sig_textbook(z):
    return 1.0 / (1.0 + math.exp(-z))


def _sig_stable(z):
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sig_tanh(z):
    return 0.5 * (1.0 + math.tanh(0.5 * z))


def _slope_stable(z):
    e = math.exp(-abs(z))
    return e / ((1.0 + e) * (1.0 + e))


def _reference(task):
    """The model answer as solution.cpp and solution.py compute it."""
    def forward(w, x, b):
        return _sig_stable(w * x + b)

    def loss(p, t):
        d = p - t
        return d * d

    def gradient(w, x, b, t):
        z = w * x + b
        error = (1.0 - t) - _sig_stable(-z) if z > 0.0 else _sig_stable(z) - t
        return 2.0 * error * _slope_stable(z) * x

    def update_weight(w, g, lr):
        if lr == 0.0 or g == 0.0:
            return w - lr * g
        return float(Fraction(w) - Fraction(lr) * Fraction(g))

    return {"forward": forward, "loss": loss, "gradient": gradient,
            "update_weight": update_weight}[task]


def _textbook(task):
    """The lesson's formulas, written the plain way."""
    return {
        "forward": lambda w, x, b: _sig_textbook(w * x + b),
        "loss": lambda p, t: (p - t) * (p - t),
        "gradient": lambda w, x, b, t: (lambda s: 2 * (s - t) * s * (1 - s) * x)(
            _sig_textbook(w * x + b)),
        "update_weight": lambda w, g, lr: w - lr * g,
    }[task]


def _other_forms(task):
    """Other correct forms with different rounding (NUMERICS section 3)."""
    return {
        "forward": lambda w, x, b: _sig_tanh(w * x + b),
        "loss": lambda p, t: p * p - 2 * p * t + t * t,
        "gradient": lambda w, x, b, t: 2 * (_sig_tanh(w * x + b) - t)
        * _slope_stable(w * x + b) * x,
        "update_weight": lambda w, g, lr: -(lr * g - w),
    }[task]


def _power_forms(task):
    return {
        "forward": lambda w, x, b: 1.0 / (1.0 + math.e ** (-(w * x + b))),
        "loss": lambda p, t: (p - t) ** 2,
        "gradient": lambda w, x, b, t: (lambda s: 2.0 * (s - t) * (s - s ** 2) * x)(
            _sig_stable(w * x + b)),
        "update_weight": lambda w, g, lr: w + (-lr) * g,
    }[task]


CORRECT = {"reference": _reference, "textbook": _textbook,
           "other-forms": _other_forms, "power-forms": _power_forms}


# ------------------------------------------------------------ the mistakes

def f32(x):
    """Rounds a double to the nearest float (what a C++ float variable holds)."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _float_forward(w, x, b):
    z = f32(f32(f32(w) * f32(x)) + f32(b))
    return f32(1.0 / f32(1.0 + f32(math.exp(-z))))


def _float_gradient(w, x, b, t):
    s = _float_forward(w, x, b)
    g = f32(2.0 * f32(s - f32(t)))
    g = f32(g * s)
    g = f32(g * f32(1.0 - s))
    return f32(g * f32(x))


def _grad_with(factor):
    """2 (s - t) * factor(z, s) * x, the shape most gradient mistakes share."""
    def gradient(w, x, b, t):
        z = w * x + b
        s = _sig_textbook(z)
        return factor(z, s, t, x)
    return gradient


MISTAKES = {
    "gradient-sign-flipped": {"gradient": _grad_with(
        lambda z, s, t, x: 2.0 * (t - s) * s * (1.0 - s) * x)},
    "missing-factor-2": {"gradient": _grad_with(
        lambda z, s, t, x: (s - t) * s * (1.0 - s) * x)},
    "missing-sigmoid-derivative": {"gradient": _grad_with(
        lambda z, s, t, x: 2.0 * (s - t) * x)},
    "z-times-one-minus-z": {"gradient": _grad_with(
        lambda z, s, t, x: 2.0 * (s - t) * z * (1.0 - z) * x)},
    "derivative-taken-as-sigmoid": {"gradient": _grad_with(
        lambda z, s, t, x: 2.0 * (s - t) * s * x)},
    "gradient-wrt-bias": {"gradient": _grad_with(
        lambda z, s, t, x: 2.0 * (s - t) * s * (1.0 - s))},
    "gradient-no-bias": {"gradient": lambda w, x, b, t: (
        lambda s: 2.0 * (s - t) * s * (1.0 - s) * x)(_sig_textbook(w * x))},
    "update-adds": {"update_weight": lambda w, g, lr: w + lr * g},
    "learning-rate-ignored": {"update_weight": lambda w, g, lr: w - g},
    "update-rounded-4dp": {"update_weight": lambda w, g, lr: round(w - lr * g, 4)},
    "forward-no-bias": {"forward": lambda w, x, b: _sig_textbook(w * x)},
    "forward-tanh": {"forward": lambda w, x, b: math.tanh(w * x + b)},
    "forward-sign-flipped": {"forward": lambda w, x, b: 1.0 / (1.0 + math.exp(w * x + b))},
    "forward-integer-z": {"forward": lambda w, x, b: _sig_textbook(float(int(w * x + b)))},
    "forward-rounded": {"forward": lambda w, x, b: round(_sig_textbook(w * x + b), 2)},
    "forward-rounded-4dp": {"forward": lambda w, x, b: round(_sig_textbook(w * x + b), 4)},
    "loss-absolute": {"loss": lambda p, t: abs(p - t)},
    "loss-not-squared": {"loss": lambda p, t: p - t},
    "loss-halved": {"loss": lambda p, t: 0.5 * (p - t) * (p - t)},
    "loss-difference-of-squares": {"loss": lambda p, t: p * p - t * t},
    "float-instead-of-double": {
        "forward": _float_forward,
        "loss": lambda p, t: f32(f32(f32(p) - f32(t)) ** 2),
        "gradient": _float_gradient,
        "update_weight": lambda w, g, lr: f32(f32(w) - f32(f32(lr) * f32(g))),
    },
}


# ----------------------------------------------------------------- checking

class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAILED: " + message)
        return condition


def close(actual, expected, tol):
    """The grading rule: NaN and inf fail without a special case."""
    try:
        return abs(actual - expected) <= max(tol["atol"], tol["rtol"] * abs(expected))
    except (TypeError, OverflowError):
        return False


def call(function, args):
    try:
        return float(function(*args))
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.nan


def explicit_cases(task_spec):
    for case in task_spec["cases"]:
        args = tuple(float(case["inputs"][p]) for p in task_spec["params"])
        yield case, args


def check_spec_shape(spec, checks):
    top = {"schema_version", "id", "title", "statement", "seed", "languages", "limits", "tasks"}
    checks.check(set(spec) == top, "exercise.json top-level keys: %s" % sorted(spec))
    checks.check(spec.get("schema_version") == 1 and spec.get("id") == "backprop",
                 "schema_version 1 and id backprop")
    checks.check([t["id"] for t in spec["tasks"]] == TASKS, "task ids in contract order")
    checks.check(abs(sum(t["points"] for t in spec["tasks"]) - 10) < 1e-12, "points add up to 10")
    task_keys = {"id", "title", "signature", "params", "points", "tolerance", "cases", "generated"}
    gen_keys = {"count", "visibility", "params", "min_abs_expected", "min_abs_difference"}
    for t in spec["tasks"]:
        tid = t["id"]
        checks.check(set(t) == task_keys, "%s: task keys %s" % (tid, sorted(t)))
        checks.check(t["params"] == PARAMS[tid], "%s: params %s" % (tid, t["params"]))
        checks.check(t["tolerance"] == {"rtol": 1e-9, "atol": 1e-12},
                     "%s: tolerance is rtol 1e-9, atol 1e-12" % tid)
        names = [c["name"] for c in t["cases"]]
        checks.check(len(names) == len(set(names)), "%s: case names unique" % tid)
        for c in t["cases"]:
            checks.check(set(c) == {"name", "visibility", "inputs"}
                         and c["visibility"] in ("visible", "hidden")
                         and list(c["inputs"]) == t["params"],
                         "%s/%s: case shape" % (tid, c.get("name")))
        g = t["generated"]
        checks.check(set(g) == gen_keys and list(g["params"]) == t["params"],
                     "%s: generated keys and params" % tid)
        for name, r in g["params"].items():
            checks.check(set(r) == {"min", "max", "decimals", "nonzero"} and r["min"] < r["max"]
                         and isinstance(r["decimals"], int) and 0 <= r["decimals"] <= 15,
                         "%s: generated range of %s" % (tid, name))
        for a, b, distance in g["min_abs_difference"]:
            checks.check(a in t["params"] and b in t["params"] and distance > 0,
                         "%s: min_abs_difference %s %s" % (tid, a, b))
        total = len(t["cases"]) + g["count"]
        checks.check(total >= MIN_CASES_PER_TASK,
                     "%s: %d graded cases, at least %d needed" % (tid, total, MIN_CASES_PER_TASK))
        for c, args in explicit_cases(t):
            z = z_of(tid, args)
            checks.check(z is None or abs(z) <= MAX_ABS_Z, "%s/%s: |z| = %r > 700" % (tid, c["name"], z))
            checks.check(all(math.isfinite(a) for a in args), "%s/%s: finite inputs" % (tid, c["name"]))


def check_core_and_truth(spec, checks):
    for t in spec["tasks"]:
        tid = t["id"]
        visible = {c["name"]: args for c, args in explicit_cases(t) if c["visibility"] == "visible"}
        checks.check(sorted(visible) == sorted(CORE[tid]),
                     "%s: visible cases %s are the core cases" % (tid, sorted(visible)))
        for name, (args, listed) in CORE[tid].items():
            checks.check(visible.get(name) == args, "%s/%s: inputs as in NUMERICS" % (tid, name))
            if listed is not None:
                checks.check(truth(tid, args) == listed,
                             "%s/%s: truth %r, NUMERICS lists %r" % (tid, name, truth(tid, args), listed))
        for c, args in explicit_cases(t):
            expected = truth(tid, args)
            checks.check(math.isfinite(expected), "%s/%s: finite expected" % (tid, c["name"]))
            if c["visibility"] == "visible":
                checks.check(abs(expected) >= 1e-4, "%s/%s: core |expected| >= 1e-4" % (tid, c["name"]))
                z = z_of(tid, args)
                if z is not None:
                    checks.check(0.3 <= abs(z) <= 6 and z != round(z),
                                 "%s/%s: core z = %r non-integer in [0.3, 6]" % (tid, c["name"], z))
    for (tid, args), listed in TELLING_EDGES.items():
        checks.check(truth(tid, args) == listed, "telling edge %s%r" % (tid, args))
        task = next(t for t in spec["tasks"] if t["id"] == tid)
        checks.check(any(a == args for _, a in explicit_cases(task)),
                     "telling edge %s%r is a case" % (tid, args))


def check_correct_variants(spec, checks):
    for t in spec["tasks"]:
        tid = t["id"]
        for variant, make in CORRECT.items():
            function = make(tid)
            bad = [c["name"] for c, args in explicit_cases(t)
                   if not close(call(function, args), truth(tid, args), t["tolerance"])]
            checks.check(not bad, "%s: correct variant %s fails %s" % (tid, variant, bad))


def parse_mistake_header(path):
    with open(path, encoding="utf-8") as handle:
        lines = [handle.readline().rstrip("\n") for _ in range(3)]
    patterns = [r"// mistake: ([a-z0-9]+(?:-[a-z0-9]+)*)$",
                r"// task: ((?:forward|loss|gradient|update_weight)"
                r"(?: (?:forward|loss|gradient|update_weight))*)$",
                r"// hint: (\S.*\S)$"]
    found = [re.match(p, line) for p, line in zip(patterns, lines)]
    if not all(found):
        return None
    return found[0].group(1), found[1].group(1).split(), found[2].group(1)


def check_mistakes(spec, mistakes_dir, checks):
    files = sorted(f for f in os.listdir(mistakes_dir) if f.endswith(".cpp"))
    names = sorted(f[:-4] for f in files)
    checks.check(sorted(MISTAKES) == names,
                 "mistake files %s and models %s differ" % (names, sorted(MISTAKES)))
    for f in files:
        header = parse_mistake_header(os.path.join(mistakes_dir, f))
        if not checks.check(header is not None, "%s: header lines mistake/task/hint" % f):
            continue
        name, tasks, _hint = header
        checks.check(name == f[:-4], "%s: name %s equals the file name" % (f, name))
        checks.check(name in MISTAKES and sorted(tasks) == sorted(MISTAKES[name]),
                     "%s: tasks %s match the model" % (f, tasks))

    tasks_by_id = {t["id"]: t for t in spec["tasks"]}
    table = []
    for name, functions in sorted(MISTAKES.items()):
        for tid, function in functions.items():
            t = tasks_by_id[tid]
            visible_fail = total_visible = explicit_fail = 0
            for c, args in explicit_cases(t):
                wrong = not close(call(function, args), truth(tid, args), t["tolerance"])
                explicit_fail += wrong
                if c["visibility"] == "visible":
                    total_visible += 1
                    visible_fail += wrong
            table.append((name, tid, visible_fail, total_visible, explicit_fail, len(t["cases"])))
            checks.check(visible_fail >= MIN_CORE_FAILURES,
                         "%s: fails only %d visible %s cases" % (name, visible_fail, tid))
    # Two mistakes of one task must not answer alike on every visible case.
    for tid in TASKS:
        t = tasks_by_id[tid]
        visible = [args for c, args in explicit_cases(t) if c["visibility"] == "visible"]
        models = [(n, fs[tid]) for n, fs in sorted(MISTAKES.items()) if tid in fs]
        for i, (n1, f1) in enumerate(models):
            for n2, f2 in models[i + 1:]:
                apart = any(not close(call(f1, a), call(f2, a), t["tolerance"]) for a in visible)
                checks.check(apart, "%s: mistakes %s and %s answer alike" % (tid, n1, n2))
    return table


def draw(rng, r):
    while True:
        value = round(rng.uniform(r["min"], r["max"]), r["decimals"])
        value = min(max(value, r["min"]), r["max"]) + 0.0  # no -0.0
        if not (r["nonzero"] and value == 0.0):
            return value


def sample_task(t, rng, wanted):
    g = t["generated"]
    accepted, tries = [], 0
    while len(accepted) < wanted and tries < 50 * wanted:
        tries += 1
        values = {p: draw(rng, g["params"][p]) for p in t["params"]}
        if any(abs(values[a] - values[b]) < d for a, b, d in g["min_abs_difference"]):
            continue
        args = tuple(values[p] for p in t["params"])
        if abs(truth(t["id"], args)) < g["min_abs_expected"]:
            continue
        accepted.append(args)
    return accepted, tries


def check_generation(spec, checks, seed, samples):
    rng = random.Random(seed)
    rates = []
    for t in spec["tasks"]:
        tid = t["id"]
        points, tries = sample_task(t, rng, samples)
        rate = len(points) / max(tries, 1)
        rates.append((tid, rate))
        checks.check(len(points) == samples and rate >= 0.25,
                     "%s: generator accepts %.0f%% of draws" % (tid, 100 * rate))
        zs = [z_of(tid, a) for a in points if z_of(tid, a) is not None]
        if zs:
            checks.check(max(abs(z) for z in zs) <= 10, "%s: generated |z| <= 10" % tid)
            core = sum(0.3 <= abs(z) <= 6 for z in zs) / len(zs)
            checks.check(core >= 0.7, "%s: only %.0f%% of generated z in [0.3, 6]" % (tid, 100 * core))
            checks.check(sum(z == round(z) for z in zs) <= len(zs) * 0.001,
                         "%s: generated z integer too often" % tid)
        if tid == "update_weight":
            checks.check(all(0 < a[2] <= 0.5 for a in points), "update_weight: lr in (0, 0.5]")
        expected = [truth(tid, a) for a in points]
        for variant, make in CORRECT.items():
            function = make(tid)
            bad = sum(not close(call(function, a), e, t["tolerance"]) for a, e in zip(points, expected))
            checks.check(bad == 0, "%s: correct variant %s fails %d generated points" % (tid, variant, bad))
        for name, functions in sorted(MISTAKES.items()):
            if tid not in functions:
                continue
            caught = sum(not close(call(functions[tid], a), e, t["tolerance"])
                         for a, e in zip(points, expected))
            checks.check(caught >= 0.95 * len(points),
                         "%s: mistake %s fails only %d of %d generated points"
                         % (tid, name, caught, len(points)))
    return rates


def main(argv):
    if len(argv) != 2:
        print("usage: catalogue_test.py REPO_ROOT", file=sys.stderr)
        return 2
    root = argv[1]
    with open(os.path.join(root, "exercises", "backprop", "exercise.json"), encoding="utf-8") as f:
        spec = json.load(f)
    checks = Checks()
    check_spec_shape(spec, checks)
    check_core_and_truth(spec, checks)
    check_correct_variants(spec, checks)
    table = check_mistakes(spec, os.path.join(root, "reference", "backprop", "mistakes"), checks)
    rates = check_generation(spec, checks, seed=spec["seed"], samples=1000)

    print("mistake                       task           visible failed   explicit failed")
    for name, tid, vf, vt, ef, et in table:
        print("%-29s %-14s %2d / %-2d           %2d / %-2d" % (name, tid, vf, vt, ef, et))
    print("generator acceptance: " + ", ".join("%s %.0f%%" % (t, 100 * r) for t, r in rates))
    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
