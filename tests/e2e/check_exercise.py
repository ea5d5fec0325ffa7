#!/usr/bin/env python3
"""grader check-exercise on the real exercises and on copies broken on purpose.

Every exercise under exercises/ validates against grader/schema/exercise.schema.json and passes
`grader check-exercise` (exit 0). Then a copy of backprop is broken one way at a time, and the
check must fail (exit 3) with the message that names what is wrong: a mistake identical to the
reference, two mistakes that cannot be told apart, a reference with a NaN answer, a reference
whose answers change from run to run, a Python reference that disagrees with the C++ one, and a
spec with a parameter the loader does not know. Ends with "N passed, N failed".
"""

import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


def check_exercise(grader, exercises, exercise="backprop"):
    run = subprocess.run([grader, "check-exercise", exercise, "--exercises", str(exercises)],
                         capture_output=True, text=True, timeout=600)
    return run.returncode, run.stdout + run.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker()

    schema = json.loads((root / "grader" / "schema" / "exercise.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for spec in sorted((root / "exercises").glob("*/exercise.json")):
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(spec.read_text())))
        c.check(not errors, f"{spec}: valid against the exercise schema: {[e.message for e in errors][:3]}")
        code, out = check_exercise(args.grader, root / "exercises", spec.parent.name)
        c.check(code == 0 and re.search(r"check\(s\), 0 failed", out),
                f"check-exercise {spec.parent.name}: exit {code}\n{out[-3000:]}")
        c.check("a second run gives the same" in out and "shows on a visible case" in out,
                f"check-exercise {spec.parent.name}: reproducibility and mistakes checked")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)

        def broken(name, change):
            """A copy of backprop (spec and reference) changed by `change(exercise, reference)`."""
            base = tmp / name
            shutil.copytree(root / "exercises" / "backprop", base / "exercises" / "backprop")
            shutil.copytree(root / "reference" / "backprop", base / "reference" / "backprop")
            change(base / "exercises" / "backprop", base / "reference" / "backprop")
            return check_exercise(args.grader, base / "exercises")

        def expect_failure(name, change, message):
            code, out = broken(name, change)
            c.check(code == 3 and message in out,
                    f"{name}: exit {code}, expected 3 and {message!r}:\n{out[-3000:]}")

        def same_as_reference(ex, ref):
            text = (ref / "solution.cpp").read_text()
            (ref / "mistakes" / "same-as-reference.cpp").write_text(
                "// mistake: same-as-reference\n// task: loss\n// hint: nothing is wrong\n" + text)
        expect_failure("identical-mistake", same_as_reference,
                       "same-as-reference: gives the reference's answers on every visible case of loss")

        def twin_mistakes(ex, ref):
            text = (ref / "mistakes" / "loss-halved.cpp").read_text()
            (ref / "mistakes" / "loss-halved-again.cpp").write_text(
                text.replace("// mistake: loss-halved", "// mistake: loss-halved-again"))
        expect_failure("twin-mistakes", twin_mistakes,
                       "mistakes loss-halved-again and loss-halved give the same answers on every "
                       "case of loss")

        def nan_answer(ex, ref):
            path = ref / "solution.cpp"
            path.write_text(path.read_text().replace(
                "  const double d = prediction - target;\n  return d * d;",
                "  const double d = prediction - target;\n"
                "  if (prediction == 0.91) return std::nan(\"\");\n  return d * d;"))
        expect_failure("nan-answer", nan_answer,
                       "the reference gives no finite answer for case loss/L5")

        def unstable(ex, ref):
            path = ref / "solution.cpp"
            text = path.read_text().replace(
                "double forward(double weight, double input, double bias) { return sigmoid(weight * input + bias); }",
                "#include <random>\ndouble forward(double weight, double input, double bias) {\n"
                "  std::random_device noise;\n"
                "  return sigmoid(weight * input + bias) * (1.0 + (noise() % 2) * 1e-15);\n}")
            path.write_text(text)
        expect_failure("unstable-reference", unstable,
                       "a second run differs on")

        def python_disagrees(ex, ref):
            path = ref / "solution.py"
            path.write_text(path.read_text() + "\n\ndef loss(prediction, target):\n"
                            "    return abs(prediction - target)\n")
        expect_failure("python-disagrees", python_disagrees,
                       "solution.py: disagrees with solution.cpp on")

        def unknown_param(ex, ref):
            spec = json.loads((ex / "exercise.json").read_text())
            spec["tasks"][0]["params"][0] = {"name": "weight", "type": "tensor"}
            (ex / "exercise.json").write_text(json.dumps(spec))
        expect_failure("unknown-param", unknown_param,
                       '/tasks/0/params/0/type: unknown type "tensor" (number, integer, boolean, '
                       'vector, matrix)')

        def vector_for_number(ex, ref):
            spec = json.loads((ex / "exercise.json").read_text())
            spec["tasks"][0]["cases"][0]["inputs"]["bias"] = [0.3, 0.4]
            (ex / "exercise.json").write_text(json.dumps(spec))
        expect_failure("vector-for-number", vector_for_number,
                       "/tasks/0/cases/0/inputs/bias: expected a number, got [0.3,0.4]")

        def ragged_matrix(ex, ref):
            spec = json.loads((ex / "exercise.json").read_text())
            spec["tasks"][0]["params"][0] = {"name": "weight", "type": "matrix"}
            spec["tasks"][0]["cases"][0]["inputs"]["weight"] = [[1.0, 2.0], [3.0]]
            (ex / "exercise.json").write_text(json.dumps(spec))
        expect_failure("ragged-matrix", ragged_matrix,
                       "/tasks/0/cases/0/inputs/weight/1: a row of 1 numbers in a matrix whose "
                       "first row has 2")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
