#!/usr/bin/env python3
"""The Gradescope integration end to end: make-zip.sh builds autograder.zip (setup.sh and
run_autograder at its root, executable, with the sources setup.sh builds), and run_autograder,
pointed by AUTOGRADER_ROOT at a fake /autograder tree (source/ from the zip with the built grader
in source/build/bin, submission/, results/), writes a results.json that follows Gradescope's
specification for a correct, a partial, a compile-error and an empty submission, and a
fallback results.json when the grader cannot run. Ends with 'N passed, N failed'."""

import argparse
import json
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import Checker  # noqa: E402


def check_results(c, path, what, graded=True):
    """The fields of the specification, with their types; returns the parsed results."""
    if not c.check(path.is_file(), f"{what}: no results.json"):
        return None
    r = json.loads(path.read_text())
    c.check(isinstance(r.get("score"), (int, float)), f"{what}: top-level score")
    c.check(isinstance(r.get("output"), str), f"{what}: output")
    c.check(r.get("visibility") in ("visible", "hidden", "after_due_date", "after_published"),
            f"{what}: visibility")
    c.check(r.get("stdout_visibility") in ("visible", "hidden"), f"{what}: stdout_visibility")
    environment = [t for t in r.get("tests", []) if t.get("name", "").startswith("Grading environment")]
    # Written by the grader (not by run_autograder's fallback when the grader failed).
    c.check(not graded or len(environment) == 1 and environment[0]["visibility"] == "hidden"
            and environment[0]["max_score"] == 0 and "mode" in environment[0]["output"],
            f"{what}: one hidden, 0-point test names the sandbox's mode for the instructor: "
            f"{environment}")
    c.check(not graded or "mode" in r.get("extra_data", {}).get("sandbox", ""),
            f"{what}: extra_data names the sandbox's mode")
    r["tests"] = [t for t in r.get("tests", []) if t not in environment]
    for t in r["tests"]:
        c.check(set(t) >= {"name", "number", "score", "max_score", "status", "output",
                           "visibility"} and t["status"] in ("passed", "failed")
                and t["visibility"] in ("visible", "after_due_date"),
                f"{what}: test {t.get('name')} has the specified fields")
    return r


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root).resolve()
    grader = pathlib.Path(args.grader).resolve()
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # A cache of our own: results cached by other runs must not stand in for grading here.
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        archive = tmp / "autograder.zip"
        run = subprocess.run([str(root / "integrations" / "gradescope" / "make-zip.sh"),
                              str(archive)], capture_output=True, text=True, cwd=tmp)
        c.check(run.returncode == 0 and archive.is_file(), f"make-zip.sh: {run.stderr}")

        fake = tmp / "autograder"
        source = fake / "source"
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            for required in ("setup.sh", "run_autograder", "CMakeLists.txt",
                             "grader/CMakeLists.txt", "exercises/backprop/exercise.json",
                             "reference/backprop/solution.cpp"):
                c.check(required in names, f"autograder.zip lacks {required}")
            for script in ("setup.sh", "run_autograder"):
                mode = zf.getinfo(script).external_attr >> 16
                c.check(mode & stat.S_IXUSR, f"{script} is executable in the zip")
            c.check(not any(n.startswith("build") or "/build" in n for n in names),
                    "no build tree in the zip")
            zf.extractall(source)
        for script in ("setup.sh", "run_autograder"):
            os.chmod(source / script, 0o755)
        # What setup.sh would have built: the grader at source/build/bin/grader.
        (source / "build" / "bin").mkdir(parents=True)
        os.symlink(grader, source / "build" / "bin" / "grader")

        def autograde(files, env_extra=None):
            for d in ("submission", "results"):
                shutil.rmtree(fake / d, ignore_errors=True)
                (fake / d).mkdir(parents=True)
            for name, content in files.items():
                (fake / "submission" / name).write_text(content)
            env = dict(os.environ, AUTOGRADER_ROOT=str(fake), **(env_extra or {}))
            proc = subprocess.run([str(source / "run_autograder")], capture_output=True,
                                  text=True, env=env, cwd=fake, timeout=600)
            c.check(proc.returncode == 0, f"run_autograder exit {proc.returncode}: {proc.stderr}")
            return fake / "results" / "results.json"

        solution = (root / "reference" / "backprop" / "solution.py").read_text()
        r = check_results(c, autograde({"main.py": solution}), "correct")
        if r:
            c.check(r["score"] > 0 and all(t["status"] == "passed" for t in r["tests"]),
                    f"correct: full marks, every test passed: {r}")
            c.check(abs(sum(t["max_score"] for t in r["tests"]) - r["score"]) < 1e-9,
                    "correct: score is the sum of the tests' maximum")
            c.check({t["visibility"] for t in r["tests"]} == {"visible", "after_due_date"},
                    "correct: visible and after_due_date tests")

        partial = solution.replace("def loss", "def loss_unused")
        r = check_results(c, autograde({"main.py": partial}), "partial")
        if r:
            failed = [t["name"] for t in r["tests"] if t["status"] == "failed"]
            c.check(failed and all(n.startswith("loss") for n in failed),
                    f"partial: only loss fails: {failed}")
            c.check(abs(sum(t["score"] for t in r["tests"]) - r["score"]) < 1e-9,
                    "partial: tests add up to the score")

        r = check_results(c, autograde({"main.cpp": "double forward(double w, double x, "
                                                    "double b) { return w * x + b }\n"}),
                          "compile error")
        if r:
            c.check(r["score"] == 0 and "error" in r["output"],
                    f"compile error: score 0 and the compiler's message: {r['output']!r}")

        r = check_results(c, autograde({}), "empty")
        if r:
            c.check(r["score"] == 0 and r["output"], "empty submission: score 0 with a reason")

        r = check_results(c, autograde({"main.py": solution}, {"GRADER_BIN": "/bin/false"}),
                          "grader fails", graded=False)
        if r:
            c.check(r["score"] == 0 and "exit status 1" in r["output"],
                    f"grader failure: fallback results with the reason: {r['output']!r}")
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
