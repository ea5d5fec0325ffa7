#!/usr/bin/env python3
"""End-to-end check of the real grader on every example in submissions/.

Runs `grader batch submissions` and checks, against submissions/.manifest.json: every example's
status, language, per-task verdict and diagnosis; the report against its JSON Schema; that no
hidden input or expected value appears anywhere in the report or on stdout/stderr; that the C++ and
Python versions of a correct solution get the same per-case results. Exits non-zero on any failure
and ends with an 'N passed, N failed' line.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import jsonschema


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402
from values import numbers_in  # noqa: E402


def task_verdict(task):
    """`passed` when every case passed, else the status of the first case that did not."""
    for case in task["cases"]:
        if case["status"] != "passed":
            return case["status"]
    return "passed"


def number_spellings(value):
    """The ways the numbers of a value could be printed: shortest repr and 17 significant
    digits."""
    spellings = set()
    for x in numbers_in(value):
        if x != 0 and x == x:
            spellings |= {repr(x), f"{x:.17g}"}
    return spellings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--extra", action="append", default=[], help="extra grader flag")
    parser.add_argument("--exercise", default="",
                        help="grade this exercise's examples (submissions/ID) instead of the "
                             "course's default exercise's (submissions/)")
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker()
    examples = root / "submissions" / args.exercise if args.exercise else root / "submissions"
    if args.exercise:
        args.extra = ["--exercise", args.exercise, *args.extra]
    exercise_ids = {p.name for p in (root / "exercises").iterdir() if (p / "exercise.json").is_file()}

    manifest = json.loads((examples / ".manifest.json").read_text())
    schema = json.loads((root / "grader" / "schema" / "report.schema.json").read_text())

    with tempfile.TemporaryDirectory() as tmp:
        report_path = pathlib.Path(tmp) / "report.json"
        run = subprocess.run(
            [args.grader, "batch", str(examples), "--report", str(report_path),
             "-j", args.jobs, "--color", "never", *args.extra],
            capture_output=True, text=True, timeout=900)
        c.check(run.returncode == 0, f"batch exit code 0, got {run.returncode}: {run.stderr}")
        report = json.loads(report_path.read_text())
        # The detailed per-submission feedback of `grade`, for the leak check below.
        # (A folder named after another exercise holds that exercise's examples.)
        entries = sorted(p for p in examples.iterdir()
                         if not p.name.startswith(".") and p.name not in exercise_ids)
        detailed = subprocess.run(
            [args.grader, "grade", *map(str, entries), "-j", args.jobs, "--color", "never",
             *args.extra], capture_output=True, text=True, timeout=900)
        c.check(detailed.returncode == 0, f"grade of every example: exit {detailed.returncode}")
        cases_run = subprocess.run(
            [args.grader, "cases", "--show-hidden", *args.extra],
            capture_output=True, text=True, timeout=300)
        c.check(cases_run.returncode == 0, f"grader cases: {cases_run.stderr}")
        answer_key = json.loads(cases_run.stdout)

    try:
        jsonschema.validate(report, schema)
        c.check(True, "schema")
    except jsonschema.ValidationError as error:
        c.check(False, f"report does not match its schema: {error.message} at "
                       f"{list(error.absolute_path)}")

    by_id = {s["id"]: s for s in report["submissions"]}
    expected_ids = set(manifest["submissions"])
    c.check(set(by_id) == expected_ids,
            f"graded {sorted(set(by_id) - expected_ids)} not in the manifest; "
            f"missing {sorted(expected_ids - set(by_id))}")
    c.check(all(s["status"] != "internal_error" for s in report["submissions"]),
            "no internal_error")

    for sid, want in sorted(manifest["submissions"].items()):
        got = by_id.get(sid)
        if got is None:
            continue
        c.check(got["status"] == want["status"],
                f"{sid}: status {got['status']}, expected {want['status']} ({got.get('message', '')})")
        c.check(got["language"] == want["language"],
                f"{sid}: language {got['language']}, expected {want['language']}")
        if "first_error" in want:
            errors = got.get("compile_errors") or [{}]
            first = {key: errors[0].get(key) for key in want["first_error"]}
            c.check(first == want["first_error"],
                    f"{sid}: first compile error {first}, expected {want['first_error']}")
        tasks = {t["id"]: t for t in got["tasks"]}
        for task_id, verdict in want.get("tasks", {}).items():
            task = tasks.get(task_id)
            actual = task_verdict(task) if task else "absent"
            c.check(actual == verdict, f"{sid}: task {task_id} verdict {actual}, expected {verdict}")
        for task_id, text in want.get("messages", {}).items():
            task = tasks.get(task_id)
            failing = [k for k in (task or {}).get("cases", []) if k["status"] != "passed"]
            message = failing[0].get("message", "") if failing else ""
            c.check(text in message,
                    f"{sid}: task {task_id}: first failing case's message {message!r} lacks {text!r}")
        wanted_diagnosis = want.get("diagnosis", {})
        for task_id, task in tasks.items():
            diagnosis = task.get("diagnosis")
            # The mistake's name, else the pattern's kind ("constant", "visible_only", ...).
            got_name = (diagnosis.get("mistake") or diagnosis.get("kind")) if diagnosis else None
            if task_id in wanted_diagnosis:
                c.check(got_name == wanted_diagnosis[task_id],
                        f"{sid}: task {task_id} diagnosed {got_name}, expected "
                        f"{wanted_diagnosis[task_id]}")
            elif "correct" in sid:
                c.check(diagnosis is None, f"{sid}: correct submission got a diagnosis {diagnosis}")

    # Hidden cases stay hidden: none of their inputs or expected values anywhere.
    hidden_texts = set()
    for case in answer_key["cases"]:
        if case["visibility"] == "hidden":
            for value in list(case["inputs"].values()) + [case["expected"]]:
                hidden_texts |= {t for t in number_spellings(value) if len(t) >= 6}
    visible_texts = set()
    for case in answer_key["cases"]:
        if case["visibility"] == "visible":
            for value in list(case["inputs"].values()) + [case["expected"]]:
                visible_texts |= number_spellings(value)
    # A student's answer on a visible case may equal some hidden value by coincidence (a sign
    # error at z = 1 returns sigma(-1)); showing it is not a leak.
    for s in report["submissions"]:
        for t in s["tasks"]:
            for k in t["cases"]:
                if k["visibility"] == "visible" and k.get("actual") is not None:
                    visible_texts |= number_spellings(k["actual"])
    hidden_texts -= visible_texts
    # Compare whole number tokens, so that 0.7310585786 does not match inside 0.73105857863.
    token = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
    shown = set()
    for text in (json.dumps(report), run.stdout, run.stderr, detailed.stdout, detailed.stderr):
        shown |= set(token.findall(text))
    leaks = [t for t in hidden_texts if t in shown]
    c.check(not leaks, f"hidden values leaked: {sorted(leaks)[:5]}")
    c.check(len(hidden_texts) > 20, f"the leak check looked for {len(hidden_texts)} hidden values")

    # Vectors and matrices of another shape than expected get their own verdict, and the
    # feedback names it.
    for s in report["submissions"]:
        for t in s["tasks"]:
            for k in t["cases"]:
                if k["status"] == "wrong_shape" and k["visibility"] == "visible":
                    c.check("where" in k.get("message", ""),
                            f"{s['id']}: {k['id']}: wrong_shape without a message naming it")

    # A correct C++ and a correct Python submission get the same per-case results.
    cpp, py = by_id.get("cpp-correct-single"), by_id.get("py-correct-single")
    if cpp and py:
        def per_case(s):
            return [(k["id"], k["status"], k.get("actual")) for t in s["tasks"] for k in t["cases"]]
        c.check(per_case(cpp) == per_case(py), "C++ and Python correct submissions differ per case")

    # The reference, in both languages, gets full marks through the whole pipeline.
    exercise_id = args.exercise or manifest["exercise"]
    for ref in sorted((root / "reference" / exercise_id).glob("solution.*")):
        graded = subprocess.run([args.grader, "grade", str(ref), "--min-score", "1",
                                 "--color", "never", *args.extra],
                                capture_output=True, text=True, timeout=600)
        c.check(graded.returncode == 0 and "10.00 / 10.00" in graded.stdout,
                f"{exercise_id}: {ref.name} scores full marks: exit {graded.returncode}\n"
                f"{graded.stdout[-1500:]}{graded.stderr[-500:]}")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
