#!/usr/bin/env python3
"""Never redo work, never lose work: a `grader batch` killed with SIGKILL mid-way leaves no
partial report, and the rerun grades only what the first run had not finished. Also: an
unchanged class is answered entirely from the cache, a changed submission alone is regraded, a
changed exercise regrades everything, identical submissions are graded once, and a corrupt
cache entry is ignored and rewritten. No timing assertions. Ends with 'N passed, N failed'."""

import argparse
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import classgen  # noqa: E402


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


def result_entries(cache):
    return sorted(cache.glob("v*/*/results/*.json"))


def load(path):
    return json.loads(pathlib.Path(path).read_text())


def essence(report):
    """A report without what may differ between equivalent runs."""
    out = []
    for s in report["submissions"]:
        s = {k: v for k, v in s.items() if k not in ("duration_ms", "cached")}
        out.append(s)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker(verbose=True)

    with tempfile.TemporaryDirectory(prefix="grader-resume-") as tmp:
        tmp = pathlib.Path(tmp)
        klass = tmp / "class"
        cache = tmp / "cache"
        report = tmp / "out" / "report.json"
        report.parent.mkdir()
        ids = classgen.make_class(klass, 12, root)
        command = [args.grader, "batch", str(klass), "-j", "1", "--cache-dir", str(cache),
                   "--report", str(report), "--color", "never", "--quiet"]

        # 1. Start, wait until a few results are persisted, then SIGKILL the process group.
        first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and first.poll() is None:
            if len(result_entries(cache)) >= 3:
                break
            time.sleep(0.02)
        still_running = first.poll() is None
        if still_running:
            os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        output = first.stdout.read().decode(errors="replace")
        done_before = len(result_entries(cache))
        c.check(still_running, "the first batch was still running when killed\n" + output)
        c.check(3 <= done_before < 12, f"killed mid-way: {done_before} of 12 results persisted")
        c.check(not report.exists(), "no report after SIGKILL")
        c.check(list(report.parent.iterdir()) == [],
                f"no partial report files: {list(report.parent.iterdir())}")
        leftovers = [p for p in cache.rglob("*") if ".tmp-" in p.name]
        for entry in result_entries(cache):
            try:
                json.loads(entry.read_text())
            except ValueError:
                c.check(False, f"{entry.name}: a persisted entry is a whole JSON file")
        print(f"note: {len(leftovers)} temporary files of the killed run left in the cache")

        # 2. Corrupt one entry (as a crash of an older version might): it must be regraded.
        corrupt = result_entries(cache)[0]
        corrupt.write_text(corrupt.read_text()[:100])
        expected_cached = done_before - 1

        # 3. Rerun: completes, grades only the rest, rewrites the corrupt entry.
        second = subprocess.run(command, capture_output=True, text=True, timeout=900)
        c.check(second.returncode == 0, f"rerun exits 0: {second.returncode}\n{second.stderr}")
        c.check(report.exists(), "rerun writes the report")
        if not report.exists():
            return finish(c)
        r2 = load(report)
        got = sorted(s["id"] for s in r2["submissions"])
        c.check(got == ids, f"rerun report has every submission: {got}")
        cached = [s["id"] for s in r2["submissions"] if s.get("cached")]
        c.check(len(cached) == expected_cached,
                f"rerun reused exactly the {expected_cached} intact results: {cached}")
        c.check(all(s["status"] in ("graded", "compile_error") for s in r2["submissions"]),
                "every submission graded or compile_error")
        json.loads(corrupt.read_text())
        c.check(True, "the corrupt entry was rewritten")
        c.check(len(result_entries(cache)) == 12, "one entry per submission")

        # 4. Unchanged class: every result reused, same grades.
        third = subprocess.run(command, capture_output=True, text=True, timeout=900)
        r3 = load(report)
        c.check(third.returncode == 0 and all(s.get("cached") for s in r3["submissions"]),
                "an unchanged class is answered entirely from the cache")
        c.check(essence(r3) == essence(r2), "cached results equal the graded ones")

        # 5. One changed submission: only it is regraded.
        changed = klass / ids[0]
        source = next(changed.iterdir())
        source.write_text(source.read_text() + "\n// edited\n" if source.suffix == ".cpp"
                          else source.read_text() + "\n# edited\n")
        fourth = subprocess.run(command, capture_output=True, text=True, timeout=900)
        r4 = load(report)
        regraded = [s["id"] for s in r4["submissions"] if not s.get("cached")]
        c.check(fourth.returncode == 0 and regraded == [ids[0]],
                f"only the changed submission is regraded: {regraded}")

        # 6. Identical submissions in one batch are graded once, even with --no-cache.
        twins = tmp / "twins"
        classgen.make_class(twins, 2, root, languages=("python",))
        shutil.copytree(twins / sorted(os.listdir(twins))[0], twins / "zz-copy")
        twin_report = tmp / "twins.json"
        fifth = subprocess.run([args.grader, "batch", str(twins), "--no-cache", "-j", "2",
                                "--report", str(twin_report), "--quiet"],
                               capture_output=True, text=True, timeout=900)
        r5 = load(twin_report) if twin_report.exists() else {"submissions": []}
        by_id = {s["id"]: s for s in r5["submissions"]}
        copy = by_id.get("zz-copy", {})
        original = by_id.get(sorted(os.listdir(twins))[0], {})
        c.check(fifth.returncode == 0 and copy.get("cached") is True and
                sum(1 for s in r5["submissions"] if s.get("cached")) == 1,
                f"a duplicate is graded once and marked cached\n{fifth.stderr}")
        c.check(copy.get("path", "").endswith("zz-copy") and
                copy.get("score") == original.get("score"),
                "the copy keeps its own id and path and the original's grade")

        # 7. A changed exercise (any file of it) regrades everything.
        exercises = tmp / "tree" / "exercises"
        shutil.copytree(root / "exercises", exercises)
        shutil.copytree(root / "reference", tmp / "tree" / "reference")
        readme = exercises / "backprop" / "README.md"
        readme.write_text(readme.read_text() + "\nOne more sentence.\n")
        small = tmp / "small"
        shutil.copytree(klass / ids[1], small / ids[1])
        shutil.copytree(klass / ids[2], small / ids[2])
        sixth = subprocess.run([args.grader, "batch", str(small), "--exercises", str(exercises),
                                "--cache-dir", str(cache), "--report", str(report), "--quiet"],
                               capture_output=True, text=True, timeout=900)
        r6 = load(report)
        c.check(sixth.returncode == 0 and len(r6["submissions"]) == 2 and
                not any(s.get("cached") for s in r6["submissions"]),
                f"a changed exercise regrades every submission\n{sixth.stderr}")
        c.check(len(list(cache.glob("v*/*/prepared.json"))) == 2,
                "each exercise version has its own prepared entry")

        # 8. `grader cache clear` empties it.
        clear = subprocess.run([args.grader, "cache", "clear", "--cache-dir", str(cache)],
                               capture_output=True, text=True, timeout=60)
        c.check(clear.returncode == 0 and not result_entries(cache),
                f"cache clear removes every entry: {clear.stdout}{clear.stderr}")
    return finish(c)


def finish(c):
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
