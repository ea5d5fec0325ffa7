#!/usr/bin/env python3
"""Do two builds of the grader give the same answers? Grades every example of every exercise
with both, without a cache, and compares each case's status, answer and expected value (bit for
bit, as their shortest round-trip text) and message, each diagnosis and each compile error.

For a change that must not alter what is graded (a faster compile, link or harness): build the
commit before it in a worktree, then

    bench/ab_answers.py --old ../before/build/bin/grader --new build/bin/grader

Prints one line per exercise and every difference; exits 1 when there is one, 0 otherwise.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def examples():
    """(exercise id, folder of its examples) for every exercise of the course."""
    course = json.loads((ROOT / "exercises/course.json").read_text())
    default = course.get("default_exercise")
    for spec in sorted((ROOT / "exercises").glob("*/exercise.json")):
        exercise = spec.parent.name
        folder = ROOT / "submissions" if exercise == default else ROOT / "submissions" / exercise
        if folder.is_dir():
            yield exercise, folder


def outcome(report):
    """Per submission: what must not change between two builds."""
    result = {}
    for sub in report["submissions"]:
        cases = []
        for task in sub.get("tasks", []):
            for case in task["cases"]:
                cases.append((case["id"], case["status"], repr(case.get("actual")),
                              repr(case.get("expected")), case.get("message"),
                              json.dumps(case.get("diagnosis"), sort_keys=True)))
        result[sub["id"]] = {
            "status": sub["status"],
            "score": sub.get("score"),
            "compile_errors": [(e.get("file"), e.get("line"), e.get("message"))
                               for e in sub.get("compile_errors", [])],
            "diagnoses": json.dumps([t.get("diagnosis") for t in sub.get("tasks", [])],
                                    sort_keys=True),
            "cases": cases,
        }
    return result


def grade(grader, exercise, folder, report, jobs):
    started = time.perf_counter()
    proc = subprocess.run([grader, "batch", str(folder), "--exercise", exercise, "--exercises",
                           str(ROOT / "exercises"), "-j", str(jobs), "--no-cache", "--report",
                           str(report), "--quiet", "--color", "never"],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1) or not report.exists():
        sys.exit(f"ab_answers: {grader} batch {folder} exited {proc.returncode}:\n"
                 f"{proc.stderr[-2000:]}")
    return outcome(json.loads(report.read_text())), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="grader binary of the build before")
    parser.add_argument("--new", required=True, help="grader binary of the build after")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    differences = 0
    total = 0
    with tempfile.TemporaryDirectory(prefix="ab-answers-") as tmp:
        tmp = pathlib.Path(tmp)
        for exercise, folder in examples():
            old, old_s = grade(args.old, exercise, folder, tmp / f"old-{exercise}.json", args.jobs)
            new, new_s = grade(args.new, exercise, folder, tmp / f"new-{exercise}.json", args.jobs)
            cases = sum(len(sub["cases"]) for sub in old.values())
            total += cases
            changed = sorted(set(old) ^ set(new))
            changed += sorted(sid for sid in set(old) & set(new) if old[sid] != new[sid])
            print(f"{exercise}: {len(old)} submissions, {cases} cases, {len(changed)} different "
                  f"(old {old_s:.1f} s, new {new_s:.1f} s)")
            for sid in changed:
                differences += 1
                if sid not in old or sid not in new:
                    print(f"  {sid}: only in {'new' if sid in new else 'old'}")
                    continue
                for key in old[sid]:
                    if old[sid][key] == new[sid][key]:
                        continue
                    if key == "cases":
                        pairs = [(a, b) for a, b in zip(old[sid][key], new[sid][key]) if a != b]
                        first = pairs[0] if pairs else (old[sid][key], new[sid][key])
                        print(f"  {sid}: {len(pairs)} case(s) differ, first:\n"
                              f"    old {first[0]}\n    new {first[1]}")
                    else:
                        print(f"  {sid}: {key}: old {old[sid][key]!r}, new {new[sid][key]!r}")
    print(f"{total} cases compared, {differences} submission(s) different")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
