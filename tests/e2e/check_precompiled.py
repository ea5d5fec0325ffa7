#!/usr/bin/env python3
"""Precompiled headers change nothing a program means (toolchain_gxx.cpp).

A batch graded with -j 1 holds three copies of each program below. The grader precompiles a
file's leading block of #include lines once a second compile of the run wants it, so the first
copy of a program is compiled from the headers themselves and the later ones with the block
precompiled (where one is offered). Every copy must get the same status, compile errors,
scores and answers bit for bit, and each program the verdict a plain compile gives it:
- a program using std::exp without <cmath> stays a compile error;
- a program's own exp() or sigmoid, with and without `using namespace std`, stays its own;
- a macro defined before or after the includes keeps its meaning;
- a student's own backprop.hpp is the one read, not the exercise's.

    check_precompiled.py --grader build/bin/grader --root . [--mode root|no-sys-admin]

--mode no-sys-admin runs the grader as root without CAP_SYS_ADMIN, so that its boxes are built
in a user namespace (as in an unprivileged container); it needs root and skips otherwise.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402

CORRECT_BODY = """
double forward(double weight, double input, double bias) {
    return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}
double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}
double gradient(double weight, double input, double bias, double target) {
    const double s = forward(weight, input, bias);
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}
double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
"""

OTHER_TASKS = """
double loss(double p, double t) { return (p - t) * (p - t); }
double gradient(double w, double x, double b, double t) {
    const double s = forward(w, x, b);
    return 2.0 * (s - t) * s * (1.0 - s) * x;
}
double update_weight(double w, double g, double lr) { return w - lr * g; }
"""

# name: (source, extra files, expected status, expected forward pass, compile error mentions)
PROGRAMS = {
    # What the starter file looks like: the block the precompiled header is made for.
    "starter": ('// solution\n#include "backprop.hpp"\n\n#include <cmath>  // std::exp\n'
                + CORRECT_BODY, {}, "graded", True, None),
    # std::exp without <cmath>: a precompiled header with <cmath> in it would let it compile.
    "no-cmath": ('#include "backprop.hpp"\n' + CORRECT_BODY, {}, "compile_error", None, "exp"),
    # The student's own exp(), with no <cmath>: with <cmath> forced in, it would clash with
    # ::exp; here it must compile and be the one called (so forward is wrong).
    "own-exp": ('#include "backprop.hpp"\n'
                "double exp(double x) { return 1.0 + x; }\n"
                "double forward(double w, double x, double b) {\n"
                "    return 1.0 / (1.0 + exp(-(w * x + b)));\n}\n" + OTHER_TASKS,
                {}, "graded", False, None),
    # using namespace std and the student's own sigmoid over the precompiled <cmath>.
    "using-std": ("#include <cmath>\n#include <iostream>\nusing namespace std;\n"
                  "double sigmoid(double z) { return 1.0 / (1.0 + exp(-z)); }\n"
                  "double forward(double w, double x, double b) { return sigmoid(w * x + b); }\n"
                  + OTHER_TASKS, {}, "graded", True, None),
    # A macro after the block: it must replace exp in the student's code, as written.
    "macro-after": ("#include <cmath>\n#define exp(x) (1.0 + (x))\n"
                    "double forward(double w, double x, double b) {\n"
                    "    return 1.0 / (1.0 + exp(-(w * x + b)));\n}\n" + OTHER_TASKS,
                    {}, "graded", False, None),
    # A macro before the includes (no block then): it changes what <cmath> declares, as in a
    # plain compile (a function-like macro named like a <cmath> function breaks <cmath>).
    "macro-before": ("#define expm1(x) (x)\n#include <cmath>\n" + CORRECT_BODY.replace(
        "std::exp", "exp"), {}, "compile_error", None, None),
    # The student's own backprop.hpp beside main.cpp: it is the one included, so its macro
    # exists; with the exercise's header precompiled instead, SCALE would be unknown.
    "own-header": ('#include "backprop.hpp"\n#include <cmath>\n'
                   "double forward(double w, double x, double b) {\n"
                   "    return SCALE / (1.0 + std::exp(-(w * x + b)));\n}\n" + OTHER_TASKS,
                   {"backprop.hpp": "#pragma once\n#define SCALE 1.0\n"
                                    "double forward(double, double, double);\n"},
                   "graded", True, None),
}
COPIES = 3


def outcome(submission):
    """What must be identical between copies: status, errors, scores and every answer."""
    tasks = []
    for task in submission.get("tasks", []):
        tasks.append((task["id"], task["score"], task["passed"],
                      [(c["id"], c["status"], repr(c.get("actual"))) for c in task["cases"]]))
    errors = [(e.get("line"), e.get("message")) for e in submission.get("compile_errors", [])]
    return submission["status"], submission.get("score"), errors, tasks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--mode", choices=("root", "no-sys-admin"), default="root")
    args = parser.parse_args()
    check = Checker()
    root = pathlib.Path(args.root).resolve()
    prefix = []
    if args.mode == "no-sys-admin":
        if os.geteuid() != 0:
            print("skipped: needs root to drop CAP_SYS_ADMIN")
            return 0
        prefix = ["setpriv", "--bounding-set=-sys_admin", "--"]
        box = pathlib.Path(args.grader).resolve().parent / "grader-box"
        mode = subprocess.run(prefix + [str(box), "--mode"], capture_output=True, text=True)
        if not check.check("mode=user-namespace" in mode.stdout,
                           f"without CAP_SYS_ADMIN the boxes use a user namespace: {mode.stdout}"):
            return check.finish()
    with tempfile.TemporaryDirectory(prefix="precompiled-") as tmp:
        tmp = pathlib.Path(tmp)
        batch = tmp / "class"
        for name, (source, extra, *_rest) in PROGRAMS.items():
            for copy in range(1, COPIES + 1):
                folder = batch / f"{name}-{copy}"
                folder.mkdir(parents=True)
                # A different comment at the end: no result cache can answer a later copy.
                (folder / "main.cpp").write_text(source + f"// copy {copy}\n")
                for file, text in extra.items():
                    (folder / file).write_text(text)
        report = tmp / "report.json"
        proc = subprocess.run(prefix + [args.grader, "batch", str(batch), "-j", "1", "--exercise",
                               "backprop", "--exercises", str(root / "exercises"), "--no-cache",
                               "--report", str(report), "--quiet", "--color", "never"],
                              capture_output=True, text=True)
        if not check.check(proc.returncode in (0, 1) and report.exists(),
                           f"batch exits 0 or 1 with a report (exit {proc.returncode}: "
                           f"{proc.stderr[-2000:]})"):
            return check.finish()
        subs = {s["id"]: s for s in json.loads(report.read_text())["submissions"]}
        for name, (_source, _extra, status, forward_ok, mentions) in PROGRAMS.items():
            copies = [subs.get(f"{name}-{copy}") for copy in range(1, COPIES + 1)]
            if not check.check(all(copies), f"{name}: all {COPIES} copies graded"):
                continue
            first = outcome(copies[0])
            for copy, sub in enumerate(copies[1:], start=2):
                check.check(outcome(sub) == first,
                            f"{name}: copy {copy} (block precompiled) has the outcome of copy 1 "
                            f"(headers read):\n  {outcome(sub)}\n  {first}")
            check.check(first[0] == status, f"{name}: status {first[0]}, expected {status}")
            if forward_ok is not None and first[0] == "graded":
                task = next(t for t in copies[0]["tasks"] if t["id"] == "forward")
                passed = task["passed"] == task["total"]
                check.check(passed == forward_ok,
                            f"{name}: forward {'passes' if passed else 'fails'}, expected "
                            f"{'pass' if forward_ok else 'fail'}")
            if mentions:
                text = copies[0].get("compile_output", "")
                check.check(mentions in text, f"{name}: the compile error mentions {mentions!r}")
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
