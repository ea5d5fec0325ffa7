#!/usr/bin/env python3
"""End-to-end checks of `grader batch --format ...`: the real binary grades the example class
plus a hostile student, and every file is read back by an independent reader: the JSON report
is the truth, grades.csv is parsed with Python's csv module, junit.xml is validated with xmllint
against junit-ant.xsd, each Gradescope results.json is checked field by field, summary.md and
the batch summary are checked for every submission. No file may hold a hidden case's input or
expected value. Also: the progress line appears on a terminal (a pty) and nowhere else.
Ends with an 'N passed, N failed' line; exits non-zero on any failure."""

import argparse
import csv
import io
import json
import math
import os
import pathlib
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import HOSTILE_NAME, Checker, make_class  # noqa: E402

FORMATS = ["json", "gradescope", "csv", "junit", "markdown", "html"]


def num(text):
    return float(text)


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def check_csv(c, out, report):
    raw = (out / "grades.csv").read_bytes()
    c.check(raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"),
            "grades.csv: every line ends with CRLF")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    tasks = [t["id"] for t in next(s for s in report["submissions"] if s["tasks"])["tasks"]]
    header = ["id", "status", "score", "max_score", *tasks, "language", "diagnoses"]
    c.check(rows[0] == header, f"grades.csv header {rows[0]} != {header}")
    c.check(len(rows) - 1 == len(report["submissions"]),
            f"grades.csv has {len(rows) - 1} rows for {len(report['submissions'])} submissions")
    for row, s in zip(rows[1:], report["submissions"]):
        by_task = {t["id"]: t for t in s["tasks"]}
        diagnoses = [t["diagnosis"]["mistake"] or t["diagnosis"]["kind"]
                     for t in s["tasks"] if "diagnosis" in t]
        # An id a spreadsheet would run as a formula is written with a leading '.
        shown_id = "'" + s["id"] if s["id"][:1] in ("=", "+", "-", "@", "\t", "\r") else s["id"]
        expected = [shown_id, s["status"], s["score"], s["max_score"],
                    *[by_task[t]["score"] if t in by_task else 0 for t in tasks],
                    s["language"] or "", ";".join(diagnoses)]
        ok = (len(row) == len(expected) and row[0] == expected[0] and row[1] == expected[1]
              and all(close(row[i], expected[i]) for i in range(2, 4 + len(tasks)))
              and row[-2:] == expected[-2:])
        c.check(ok, f"grades.csv row {row} != {expected}")


def check_junit(c, out, report, root):
    xsd = root / "tests" / "data" / "junit-ant.xsd"
    xmllint = shutil.which("xmllint")
    if c.check(xmllint is not None, "xmllint not found: install the Debian package libxml2-utils"):
        run = subprocess.run([xmllint, "--noout", "--schema", str(xsd), str(out / "junit.xml")],
                             capture_output=True, text=True)
        c.check(run.returncode == 0, f"junit.xml does not validate against junit-ant.xsd:\n"
                                     f"{run.stderr[-3000:]}")
    tree = ET.parse(out / "junit.xml")
    suites = tree.getroot().findall("testsuite")
    c.check(len(suites) == len(report["submissions"]),
            f"junit.xml: {len(suites)} testsuites for {len(report['submissions'])} submissions")
    for suite, s in zip(suites, report["submissions"]):
        c.check(suite.get("name") == s["id"], f"junit: suite {suite.get('name')!r} != {s['id']!r}")
        cases = suite.findall("testcase")
        if s["status"] == "graded":
            failing = [t["id"] for t in s["tasks"] if t["passed"] < t["total"]]
            failed = [tc.get("name") for tc in cases if tc.find("failure") is not None]
            c.check([tc.get("name") for tc in cases] == [t["id"] for t in s["tasks"]],
                    f"junit {s['id']}: one testcase per task")
            c.check(failed == failing, f"junit {s['id']}: failures {failed} != {failing}")
            c.check(suite.get("failures") == str(len(failing)), f"junit {s['id']}: failures=")
            for tc, t in zip(cases, s["tasks"]):
                f = tc.find("failure")
                vis = [k for k in t["cases"] if k["visibility"] == "visible"
                       and k["status"] != "passed"]
                if f is not None and vis:
                    first = vis[0]
                    c.check(first["id"] in f.get("message") and "call: " in f.text
                            and "expected: " in f.text,
                            f"junit {s['id']}/{t['id']}: failure names {first['id']} with its call")
        else:
            errors = [tc for tc in cases if tc.find("error") is not None]
            c.check(len(cases) >= 1 and len(errors) == len(cases)
                    and errors[0].find("error").get("type") == s["status"],
                    f"junit {s['id']} ({s['status']}): every testcase has an error element")


def check_gradescope(c, out, report):
    for s in report["submissions"]:
        path = out / "gradescope" / s["id"] / "results.json"
        if not c.check(path.is_file(), f"gradescope: {path} missing"):
            continue
        r = json.loads(path.read_text())
        c.check(close(r["score"], s["score"]), f"gradescope {s['id']}: score {r['score']}")
        c.check(isinstance(r.get("execution_time"), int) and isinstance(r.get("output"), str),
                f"gradescope {s['id']}: execution_time and output")
        c.check(r.get("visibility") == "visible" and r.get("stdout_visibility") == "hidden",
                f"gradescope {s['id']}: top-level visibility fields")
        environment = [t for t in r["tests"] if t["visibility"] == "hidden"]
        c.check(len(environment) == 1 and environment[0]["max_score"] == 0
                and environment[0]["output"] == f"graded in: {report['sandbox']}\n",
                f"gradescope {s['id']}: the grading environment, for the instructor: {environment}")
        tests = [t for t in r["tests"] if t not in environment]
        good = all(isinstance(t["name"], str) and isinstance(t["number"], str)
                   and 0 <= t["score"] <= t["max_score"] + 1e-12
                   and t["status"] in ("passed", "failed")
                   and isinstance(t["output"], str)
                   and t["visibility"] in ("visible", "after_due_date") for t in tests)
        c.check(good, f"gradescope {s['id']}: every test has the specified fields")
        if s["status"] != "graded":
            c.check(r["score"] == 0, f"gradescope {s['id']}: not graded scores 0")
            continue
        c.check(close(sum(t["score"] for t in tests), s["score"])
                and close(sum(t["max_score"] for t in tests), s["max_score"]),
                f"gradescope {s['id']}: tests add up to the score")
        for i, t in enumerate(s["tasks"]):
            mine = [g for g in tests if g["number"].split(".")[0] == str(i + 1)]
            hidden = [k for k in t["cases"] if k["visibility"] == "hidden"]
            visible = [k for k in t["cases"] if k["visibility"] == "visible"]
            want = ([("visible", all(k["status"] == "passed" for k in visible))] if visible else [])
            want += [("after_due_date", all(k["status"] == "passed" for k in hidden))] if hidden else []
            got = [(g["visibility"], g["status"] == "passed") for g in mine]
            c.check(got == want, f"gradescope {s['id']}/{t['id']}: tests {got} != {want}")
            c.check(all(t["id"] in g["name"] for g in mine), f"gradescope {s['id']}: names")
            c.check(close(sum(g["score"] for g in mine), t["score"]),
                    f"gradescope {s['id']}/{t['id']}: task tests add up")


def check_markdown_and_summary(c, out, report, stdout):
    md = (out / "summary.md").read_text()
    c.check("## Class summary" in md and "## Submissions" in md, "summary.md has both tables")
    table = md.split("## Submissions", 1)[-1].splitlines()
    rows = [line for line in table if line.startswith("| ")][1:]  # after the header
    c.check(len(rows) == len(report["submissions"]),
            f"summary.md: {len(rows)} rows for {len(report['submissions'])} submissions")
    for row, s in zip(rows, report["submissions"]):
        plain = s["id"].replace("_", "\\_")
        c.check((plain in row or s["id"] == HOSTILE_NAME) and
                s["status"].replace("_", "\\_") in row, f"summary.md: row {row!r} for {s['id']}")
    n = len(report["submissions"])
    c.check(f"{n} submissions:" in stdout, f"batch summary names {n} submissions:\n{stdout[-2000:]}")
    c.check("score: mean" in stdout and "median" in stdout, "batch summary: mean and median")
    c.check("task pass rate" in stdout, "batch summary: per-task pass rate")
    c.check("most frequent diagnosed mistakes" in stdout, "batch summary: mistakes")
    ungraded = [s for s in report["submissions"] if s["status"] != "graded"]
    if c.check(f"not graded ({len(ungraded)}):" in stdout, "batch summary lists the ungraded"):
        tail = stdout.split(f"not graded ({len(ungraded)}):", 1)[1]
        for s in ungraded:
            c.check(s["id"] in tail, f"batch summary: ungraded {s['id']} listed with a reason")


def hidden_values(grader, root, extra):
    """Inputs and expected values of hidden cases that no visible case shares, spelled as the
    grader spells numbers (shortest round-trip); only those with 6+ significant digits."""
    run = subprocess.run([grader, "cases", "--show-hidden", *extra], capture_output=True,
                         text=True, cwd=root, timeout=300)
    cases = json.loads(run.stdout)["cases"]
    def values(k):
        return [k["expected"], *k["inputs"].values()]
    visible = {repr(float(v)) for k in cases if k["visibility"] == "visible" for v in values(k)}
    secret = set()
    for k in cases:
        if k["visibility"] != "hidden":
            continue
        for v in values(k):
            text = repr(float(v))
            digits = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
            if len(digits) >= 6 and text not in visible:
                secret.add(text)
    return secret


def check_progress(c, grader, root, tmp, extra):
    small = tmp / "small"
    make_class(root, small, limit=2)
    for quiet in (False, True):
        master, slave = pty.openpty()
        argv = [grader, "batch", str(small), "-j", "2", *extra] + (["--quiet"] if quiet else [])
        env = dict(os.environ, XDG_CACHE_HOME=str(tmp / f"cache-pty-{quiet}"))
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, cwd=root, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        stdout = proc.communicate(timeout=300)[0].decode()
        os.close(master)
        c.check(proc.returncode == 0, f"batch on a terminal: exit {proc.returncode}")
        err = b"".join(chunks).decode(errors="replace")
        if quiet:
            c.check("\r" not in err, f"--quiet draws no progress line: {err!r}")
            c.check(stdout.lstrip().startswith("3 submissions:"),
                    f"--quiet prints only the summary: {stdout!r}")
        else:
            c.check("\r[1/3]" in err and "\r[3/3] 100%" in err and "failed" in err,
                    f"a terminal gets the progress line: {err!r}")
            c.check(err.endswith("\r"), f"the progress line is erased at the end: {err!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument("--keep", help="copy the output folder here")
    args = parser.parse_args()
    root = pathlib.Path(args.root).resolve()
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # A cache of our own: results cached by other runs must not stand in for grading here.
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        ids = make_class(root, tmp / "class")
        out = tmp / "out"
        argv = [args.grader, "batch", str(tmp / "class"), "--report-dir", str(out), *args.extra]
        for f in FORMATS:
            argv += ["--format", f]
        run = subprocess.run(argv, capture_output=True, text=True, cwd=root, timeout=900)
        c.check(run.returncode == 0, f"batch exit {run.returncode}\n{run.stderr[-3000:]}")
        c.check("\r" not in run.stderr, "no progress line when stderr is not a terminal")
        if args.keep:
            shutil.copytree(out, args.keep, dirs_exist_ok=True)
        report = json.loads((out / "report.json").read_text())
        got = sorted(s["id"] for s in report["submissions"])
        c.check(got == ids, f"report ids {got} != {ids}")
        statuses = {s["status"] for s in report["submissions"]}
        c.check({"graded", "compile_error", "invalid"} <= statuses, f"statuses {statuses}")
        check_csv(c, out, report)
        check_junit(c, out, report, root)
        check_gradescope(c, out, report)
        check_markdown_and_summary(c, out, report, run.stdout)
        hostile = next(s for s in report["submissions"] if s["id"] == HOSTILE_NAME)
        c.check(hostile["status"] == "graded", f"hostile student graded: {hostile['status']}")

        # No hidden input or expected value in any file.
        secret = hidden_values(args.grader, root, args.extra)
        c.check(len(secret) > 10, f"found {len(secret)} hidden values to look for")
        shown = set()
        for s in report["submissions"]:
            for t in s["tasks"]:
                for k in t["cases"]:
                    if k["visibility"] == "visible":
                        for v in [k.get("expected"), k.get("actual"), *k["inputs"].values()]:
                            if isinstance(v, (int, float)):
                                shown.add(repr(float(v)))
        secret -= shown
        number = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
        files = [p for p in out.rglob("*") if p.is_file()]
        for p in files:
            tokens = set(number.findall(p.read_text(errors="replace")))
            leaked = sorted(v for v in secret if v in tokens)
            c.check(not leaked, f"{p.relative_to(out)} holds hidden values {leaked[:5]}")
        html = (out / "index.html").read_text()
        c.check("<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html,
                "index.html escapes the hostile output")
        check_progress(c, args.grader, root, tmp, args.extra)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
