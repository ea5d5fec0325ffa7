#!/usr/bin/env python3
"""The HTML dashboard in a real browser: the grader writes index.html for the example class plus
a hostile student; headless Chromium loads it (file://, no network) with `#sort=-score`, runs its
script and dumps the DOM. The page's own self-check must say "ok" with no console error or
uncaught exception; the histogram bars, the status counts, the per-task pass rates and the table
rows must match figures computed here from report.json; the rows must be sorted by score,
highest first; each row must link to its detail section. A screenshot (1200x1600) is written to
ARTIFACTS/dashboard.png. Skipped (exit 77) when chromium is not installed.
Ends with 'N passed, N failed'."""

import argparse
import html.parser
import json
import math
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import HOSTILE_NAME, Checker, make_class  # noqa: E402

BINS = 10


class Dom(html.parser.HTMLParser):
    """Collects what the checks need from the dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body = {}
        self.bars = []
        self.status_counts = {}
        self.rows = []
        self.tasks = {}
        self.ids = set()
        self.links = []
        self.sorted = None
        self.js_errors = ""
        self._capture = None
        self._in_tbody_of_submissions = False
        self._table = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "body":
            self.body = a
        elif tag == "g" and "bar" in (a.get("class") or "").split():
            self.bars.append(int(a["data-count"]))
        elif "data-status-count" in a:
            self._capture = ("status", a["data-status-count"])
        elif a.get("id") == "total-count":
            self._capture = ("status", "total")
        elif a.get("id") == "js-errors":
            self._capture = ("js", None)
        elif tag == "table":
            self._table = a.get("id")
            if self._table == "submissions":
                self.sorted = a.get("data-sorted")
        elif tag == "tr" and self._table == "submissions" and "data-id" in a:
            self.rows.append(a)
        elif tag == "tr" and self._table == "task-table" and "data-task" in a:
            self.tasks[a["data-task"]] = (int(a["data-passed"]), int(a["data-total"]))
        elif tag == "a" and self._table == "submissions" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        if tag in ("span", "pre"):
            self._capture = None

    def handle_data(self, data):
        if not self._capture:
            return
        kind, key = self._capture
        if kind == "status":
            self.status_counts[key] = int(data)
        else:
            self.js_errors += data


def chromium_argv(binary, profile):
    return [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}"]


def expected_figures(report):
    subs = report["submissions"]
    hist = [0] * BINS
    for s in subs:
        f = s["score"] / s["max_score"] if s["max_score"] > 0 else 0.0
        hist[min(BINS - 1, max(0, math.floor(f * BINS)))] += 1
    statuses = {}
    for s in subs:
        statuses[s["status"]] = statuses.get(s["status"], 0) + 1
    tasks = {}
    for s in subs:
        for t in s["tasks"]:
            tasks.setdefault(t["id"], [0, 0])
    for s in subs:
        for tid in tasks:
            t = next((t for t in s["tasks"] if t["id"] == tid), None)
            tasks[tid][1] += 1
            if s["status"] == "graded" and t and t["total"] > 0 and t["passed"] == t["total"]:
                tasks[tid][0] += 1
    return hist, statuses, {k: tuple(v) for k, v in tasks.items()}


def png_size(path):
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--extra", action="append", default=[])
    args = parser.parse_args()
    root = pathlib.Path(args.root).resolve()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if not chromium:
        print("SKIP: chromium not found (install the Debian package chromium); "
              "the dashboard was not checked")
        return 77
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # A cache of our own: results cached by other runs must not stand in for grading here.
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        make_class(root, tmp / "class")
        out = tmp / "out"
        run = subprocess.run([args.grader, "batch", str(tmp / "class"), "--format", "html",
                              "--format", "json", "--report-dir", str(out), "--quiet",
                              *args.extra], capture_output=True, text=True, cwd=root,
                             timeout=900)
        c.check(run.returncode == 0, f"batch exit {run.returncode}: {run.stderr[-2000:]}")
        report = json.loads((out / "report.json").read_text())
        page = (out / "index.html").as_uri()

        dump = subprocess.run(
            chromium_argv(chromium, tmp / "profile-dom") +
            ["--enable-logging=stderr", "--v=0", "--dump-dom", page + "#sort=-score"],
            capture_output=True, text=True, timeout=180)
        c.check(dump.returncode == 0 and "</html>" in dump.stdout,
                f"chromium --dump-dom exit {dump.returncode}: {dump.stderr[-2000:]}")
        console = [line for line in dump.stderr.splitlines() if "CONSOLE" in line]
        bad = [line for line in console if "Uncaught" in line or
               ("dashboard:" in line and "self-check ok" not in line)]
        c.check(not bad, f"console errors: {bad}")
        c.check(not any("Uncaught" in line or "Refused to" in line
                        for line in dump.stderr.splitlines()),
                "no uncaught exception or blocked resource in chromium's log")
        if not console:
            print("note: chromium logged no console line; relying on the page's self-check")

        dom = Dom()
        dom.feed(dump.stdout)
        c.check(dom.body.get("data-selfcheck") == "ok",
                f"page self-check: {dom.body.get('data-selfcheck')!r}, errors {dom.js_errors!r}")
        c.check(dom.js_errors.strip() == "", f"js errors shown on the page: {dom.js_errors!r}")
        hist, statuses, tasks = expected_figures(report)
        c.check(dom.bars == hist, f"histogram {dom.bars} != {hist}")
        n = len(report["submissions"])
        c.check(dom.status_counts.get("total") == n, f"total {dom.status_counts.get('total')}")
        for status in ("graded", "compile_error", "invalid", "internal_error"):
            c.check(dom.status_counts.get(status) == statuses.get(status, 0),
                    f"{status}: page {dom.status_counts.get(status)} != {statuses.get(status, 0)}")
        c.check(dom.tasks == tasks, f"task pass rates {dom.tasks} != {tasks}")
        c.check(len(dom.rows) == n, f"{len(dom.rows)} table rows for {n} submissions")
        c.check(sorted(r["data-id"] for r in dom.rows) ==
                sorted(s["id"] for s in report["submissions"]), "table ids match the report")
        by_id = {s["id"]: s for s in report["submissions"]}
        c.check(all(math.isclose(float(r["data-score"]), by_id[r["data-id"]]["score"],
                                 abs_tol=1e-12) for r in dom.rows), "table scores match")
        scores = [float(r["data-score"]) for r in dom.rows]
        c.check(dom.sorted == "score:desc" and scores == sorted(scores, reverse=True),
                f"#sort=-score sorts highest first: {dom.sorted} {scores[:8]}...")
        c.check(len(dom.links) == n and all(link in dom.ids for link in dom.links),
                "every row links to its detail section")
        c.check(HOSTILE_NAME in by_id and "<script>alert(1)" not in dump.stdout,
                "the hostile student's markup stays text")

        artifacts = pathlib.Path(args.artifacts)
        artifacts.mkdir(parents=True, exist_ok=True)
        shot = artifacts / "dashboard.png"
        if shot.exists():
            shot.unlink()
        snap = subprocess.run(
            chromium_argv(chromium, tmp / "profile-shot") +
            ["--hide-scrollbars", f"--screenshot={shot}", "--window-size=1200,1600", page],
            capture_output=True, text=True, timeout=180)
        c.check(snap.returncode == 0 and shot.is_file(),
                f"screenshot exit {snap.returncode}: {snap.stderr[-2000:]}")
        if shot.is_file():
            c.check(png_size(shot) == (1200, 1600), f"screenshot size {png_size(shot)}")
            c.check(shot.stat().st_size > 20000, f"screenshot has content ({shot.stat().st_size} B)")
            print(f"screenshot: {shot}")
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
