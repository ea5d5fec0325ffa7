#!/usr/bin/env python3
"""End-to-end check of the student kit (`grader kit`) against the private part it leaves out.

Writes the kit of every exercise, then checks, byte for byte over every file of the kit: no
hidden input or hidden expected value (as the shortest round-trip text and as 4-decimal text),
no seed, no generated-case ranges, no reference or mistake file and no line of their sources.
Then grades each exercise's examples twice, with the full exercise and with the kit
(`--exercises KIT`), and checks that every visible case gets the same status and the same answer,
that the kit's report holds no hidden case and says so (`scope`), and that the two reports name
different exercise hashes. Ends with an 'N passed, N failed' line.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402
from values import numbers_in  # noqa: E402

TOKEN = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def spellings(values):
    """Shortest round-trip and 4-decimal texts of the numbers of `values`."""
    texts = set()
    for value in values:
        for x in numbers_in(value):
            texts |= {repr(x), f"{x:.4f}", repr(int(x)) if x.is_integer() else repr(x)}
    return texts


def grade(grader, paths, extra, report):
    run = subprocess.run([grader, "grade", *map(str, paths), "--report", str(report), "-j", "2",
                          "--color", "never", *extra], capture_output=True, text=True, timeout=900)
    return run, json.loads(report.read_text()) if report.exists() else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker()
    exercises = sorted(p.parent.name for p in (root / "exercises").glob("*/exercise.json"))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        kit = tmp / "kit"
        run = subprocess.run([args.grader, "kit", "--output", str(kit)], capture_output=True,
                             text=True, timeout=900)
        c.check(run.returncode == 0, f"grader kit: exit {run.returncode}: {run.stderr}")
        kit_files = sorted(p for p in kit.rglob("*") if p.is_file())
        kit_text = "\n".join(p.read_text(errors="replace") for p in kit_files)
        kit_tokens = set(TOKEN.findall(kit_text))

        for exercise in exercises:
            spec = json.loads((root / "exercises" / exercise / "exercise.json").read_text())
            key = json.loads(subprocess.run(
                [args.grader, "cases", "--show-hidden", "--exercise", exercise],
                capture_output=True, text=True, timeout=900).stdout)
            hidden = [v for case in key["cases"] if case["visibility"] == "hidden"
                      for v in [*case["inputs"].values(), case["expected"]]]
            visible = [v for case in key["cases"] if case["visibility"] == "visible"
                       for v in [*case["inputs"].values(), case["expected"]]]
            # A hidden number that also appears in a visible case (or is too short to tell
            # apart, like 0.5) says nothing about the hidden cases.
            # The kit's mistake answers are on visible cases only, so they are public too.
            kit_spec = json.loads((kit / exercise / "exercise.json").read_text())
            visible_ids = {f"{t['id']}/{k['name']}" for t in kit_spec["tasks"] for k in t["cases"]}
            mistake_answers = []
            for m in kit_spec.get("mistakes", []):
                c.check(set(m["answers"]) <= visible_ids,
                        f"{exercise}: mistake {m['name']} answers visible cases only")
                mistake_answers += list(m["answers"].values())
            c.check(bool(mistake_answers), f"{exercise}: the kit carries the mistakes' answers")
            private = {t for t in spellings(hidden) - spellings(visible + mistake_answers)
                       if len(t) >= 6}
            leaked = sorted(private & kit_tokens)
            c.check(not leaked, f"{exercise}: hidden values in the kit: {leaked[:5]}")
            c.check(len(private) >= 10,
                    f"{exercise}: the leak check looked for {len(private)} hidden values")
            c.check(kit_spec.get("scope") == "visible", f"{exercise}: kit marked scope visible")
            c.check("seed" not in kit_spec and str(spec.get("seed", "none")) not in kit_tokens,
                    f"{exercise}: no seed in the kit")
            c.check(all("generated" not in t for t in kit_spec["tasks"]),
                    f"{exercise}: no generated-case ranges in the kit")
            c.check(all(k["visibility"] == "visible" for t in kit_spec["tasks"] for k in t["cases"]),
                    f"{exercise}: only visible cases in the kit")
            names = {case["name"] for t in spec["tasks"] for case in t.get("cases", [])
                     if case["visibility"] == "hidden"}
            c.check(not any(f'"{n}"' in kit_text for n in names if len(n) > 3),
                    f"{exercise}: no hidden case's name in the kit")
            # Nothing of the reference or the mistakes: no such file, no line of them.
            private_sources = [p for p in (root / "reference" / exercise).rglob("*") if p.is_file()]
            sources = {p.read_bytes() for p in private_sources}
            c.check(not any(p.read_bytes() in sources for p in kit_files),
                    f"{exercise}: no reference or mistake file in the kit")
            # Lines the public files share with the reference (signatures) do not count.
            public = {line.strip() for p in (root / "exercises" / exercise).rglob("*")
                      if p.is_file() for line in p.read_text(errors="replace").splitlines()}
            lines = {line.strip() for p in private_sources
                     for line in p.read_text(errors="replace").splitlines()
                     if len(line.strip()) >= 40 and line.strip() not in public
                     and not line.strip().startswith(("//", "#", "\""))}
            copied = [line for line in lines if line in kit_text]
            c.check(not copied, f"{exercise}: lines of the reference in the kit: {copied[:2]}")

            # The kit grades the examples' visible cases exactly as the full exercise does.
            examples = root / "submissions" / exercise
            if not (examples / ".manifest.json").exists():
                examples = root / "submissions"
            paths = sorted(p for p in examples.iterdir()
                           if not p.name.startswith(".") and p.name not in exercises)
            full_run, full = grade(args.grader, paths, ["--exercise", exercise], tmp / "full.json")
            kit_run, part = grade(args.grader, paths, ["--exercise", exercise, "--exercises",
                                                       str(kit)], tmp / "kit.json")
            c.check(full_run.returncode == 0 and kit_run.returncode == 0,
                    f"{exercise}: both grades run: {full_run.stderr[-500:]} {kit_run.stderr[-500:]}")
            if not full or not part:
                continue
            c.check(full["scope"] == "full" and part["scope"] == "visible",
                    f"{exercise}: scopes {full['scope']} and {part['scope']}")
            c.check(full["exercise_hash"] != part["exercise_hash"],
                    f"{exercise}: the kit's exercise hash differs from the full exercise's")
            c.check("visible cases only" in kit_run.stdout, f"{exercise}: the terminal says so")
            c.check(all(k["visibility"] == "visible" for s in part["submissions"]
                        for t in s["tasks"] for k in t["cases"]),
                    f"{exercise}: the kit's report has visible cases only")
            diagnosed = 0
            compared = 0
            for s_full, s_kit in zip(full["submissions"], part["submissions"]):
                c.check(s_full["status"] == s_kit["status"],
                        f"{exercise}/{s_full['id']}: status {s_full['status']} vs {s_kit['status']}")
                kit_cases = {k["id"]: k for t in s_kit["tasks"] for k in t["cases"]}
                kit_tasks = {t["id"]: t for t in s_kit["tasks"]}
                for t in s_full["tasks"]:
                    # A mistake that the full grade names matches the visible failures too: the
                    # kit names it, or none where two mistakes agree on every visible case, never
                    # another one.
                    mistake = (t.get("diagnosis") or {}).get("mistake")
                    if not mistake:
                        continue
                    got = (kit_tasks.get(t["id"], {}).get("diagnosis") or {}).get("mistake")
                    diagnosed += got == mistake
                    c.check(got in (mistake, None, ""),
                            f"{exercise}/{s_full['id']}/{t['id']}: kit diagnosis {got}, full "
                            f"grade {mistake}")
                for t in s_full["tasks"]:
                    for k in t["cases"]:
                        if k["visibility"] != "visible":
                            continue
                        other = kit_cases.get(k["id"], {})
                        compared += 1
                        c.check((k["status"], k.get("actual"), k.get("expected")) ==
                                (other.get("status"), other.get("actual"), other.get("expected")),
                                f"{exercise}/{s_full['id']}/{k['id']}: full {k['status']} "
                                f"{k.get('actual')} vs kit {other.get('status')} {other.get('actual')}")
            c.check(compared >= 100, f"{exercise}: compared {compared} visible cases")
            c.check(diagnosed >= 3, f"{exercise}: the kit named {diagnosed} known mistakes")
            print(f"{exercise}: {compared} visible cases and {diagnosed} diagnoses compared")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
