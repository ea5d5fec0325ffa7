#!/usr/bin/env python3
"""Do two builds of the grader give the same answers? For every exercise, each build runs every
mistake model (`grader kit`, into a fresh cache) and grades every example; the script compares
the answer key and every model's answer on every case, then each example's case status, answer,
expected value (bit for bit, as their shortest round-trip text) and message, each diagnosis and
each compile error.

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


KINDS = {"n": "number", "i": "integer", "b": "boolean", "v": "vector", "m": "matrix"}


def exact(value):
    """A number's exact bits as text (float.hex), through nested lists."""
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, bool) or isinstance(value, int):
        return value
    return float(value).hex()


def wire_value(text):
    """A value in the harness protocol's text: hex floats (or nan, inf, -inf), integers,
    true/false, [a,b] and [[a,b],[c,d]]."""
    if text.startswith("["):
        inner = text[1:-1]
        if not inner:
            return []
        if inner.startswith("["):
            return [wire_value("[" + row) for row in inner[1:].split(",[")]
        return [wire_value(item.rstrip("]")) for item in inner.split(",")]
    if text in ("true", "false"):
        return text == "true"
    if "x" in text or text in ("nan", "inf", "-inf"):
        return float.fromhex(text)
    return int(text)


def canonical_answers(answers):
    """A model's answers in either layout the cache has used (a list of {"t", "v"} objects, or
    one string of KIND:WIRE tokens), as (kind, exact value) pairs."""
    if isinstance(answers, str):
        out = []
        for token in answers.split():
            if token == "-":
                out.append(None)
                continue
            kind, _, text = token.partition(":")
            out.append((KINDS[kind], exact(wire_value(text))))
        return out
    return [None if a is None else (a["t"], exact(json_number(a["v"]))) for a in answers or []]


def json_number(value):
    """The cache's JSON numbers, with "nan", "inf", "-inf" as strings."""
    if isinstance(value, list):
        return [json_number(item) for item in value]
    if isinstance(value, str):
        return float(value)
    return value


def prepared(cache):
    """The answer key and each mistake model's answers, from a cache with one exercise, in any
    layout: the expected values as {"t", "v"} objects (1, 2) or KIND:WIRE tokens (3), the
    models' answers in the entry (1, 2) or in prepared-answers.txt beside it, a line per model
    (3)."""
    entries = sorted(cache.glob("v*/*/prepared.json"))
    if len(entries) != 1:
        sys.exit(f"ab_answers: expected one prepared exercise in {cache}, found {len(entries)}")
    entry = json.loads(entries[0].read_text())
    apart = entries[0].with_name("prepared-answers.txt")
    lines = apart.read_text().split("\n") if apart.exists() else []
    key = {"answer key": [(c["id"], json.dumps(canonical_answers(
        c["expected"] if isinstance(c["expected"], str) else [c["expected"]])))
        for c in entry["cases"]]}
    for number, model in enumerate(entry["mistakes"]):
        answers = model["answers"] if "answers" in model else lines[number]
        key[f"mistake model {model['name']}"] = json.dumps(canonical_answers(answers))
    return key


def grade(grader, exercise, folder, work, jobs):
    """Runs every mistake model, then grades the examples, in a fresh cache under `work`."""
    started = time.perf_counter()
    cache = work / "cache"
    common = ["--exercise", exercise, "--exercises", str(ROOT / "exercises"), "--cache-dir",
              str(cache)]
    steps = [[grader, "kit", "--output", str(work / "kit"), *common],
             [grader, "batch", str(folder), "-j", str(jobs), "--report", str(work / "report.json"),
              "--quiet", "--color", "never", *common]]
    for argv in steps:
        proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.exit(f"ab_answers: {' '.join(argv)} exited {proc.returncode}:\n"
                     f"{proc.stderr[-2000:]}")
    report = json.loads((work / "report.json").read_text())
    return outcome(report), prepared(cache), time.perf_counter() - started


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
            old, old_key, old_s = grade(args.old, exercise, folder, tmp / f"old-{exercise}",
                                        args.jobs)
            new, new_key, new_s = grade(args.new, exercise, folder, tmp / f"new-{exercise}",
                                        args.jobs)
            cases = sum(len(sub["cases"]) for sub in old.values())
            total += cases
            models = sum(1 for name in old_key if name.startswith("mistake model"))
            for name in sorted(set(old_key) | set(new_key)):
                if old_key.get(name) != new_key.get(name):
                    differences += 1
                    print(f"  {exercise}: {name} differs")
            print(f"{exercise}: answer key of {len(old_key['answer key'])} cases and {models} "
                  f"mistake models compared")
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
    print(f"{total} cases of the examples compared; {differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
