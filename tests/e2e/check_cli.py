#!/usr/bin/env python3
"""End-to-end checks of the command line: exit codes, the reference at full marks, errors that
name the file, field and value, `init` starters that grade without crashing. Ends with an
'N passed, N failed' line; exits non-zero on any failure."""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--extra", action="append", default=[])
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker()

    def grader(*argv, timeout=300):
        return subprocess.run([args.grader, *argv, *args.extra] if argv and argv[0] in
                              ("grade", "batch", "cases") else [args.grader, *argv],
                              capture_output=True, text=True, timeout=timeout)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)

        # The reference, in both languages, gets full marks through the whole pipeline.
        for ref in ["solution.cpp", "solution.py"]:
            path = root / "reference" / "backprop" / ref
            report = tmp / f"ref-{ref}.json"
            run = grader("grade", str(path), "--min-score", "1", "--report", str(report),
                         "--color", "never")
            c.check(run.returncode == 0, f"grade {ref} --min-score 1: exit {run.returncode}\n"
                                         f"{run.stdout}{run.stderr}")
            if report.exists():
                s = json.loads(report.read_text())["submissions"][0]
                c.check(s["status"] == "graded" and s["score"] == s["max_score"],
                        f"{ref}: score {s['score']} of {s['max_score']}")
                c.check(all(t["passed"] == t["total"] and t["total"] >= 12 for t in s["tasks"]),
                        f"{ref}: every task passes its >= 12 cases")

        # --min-score: a partial submission below the bar exits 1, and 0 without the bar.
        partial = root / "submissions" / "cpp-gradient-missing-factor-2"
        run = grader("grade", str(partial), "--min-score", "0.9")
        c.check(run.returncode == 1, f"below --min-score exits 1, got {run.returncode}")
        c.check("cpp-gradient-missing-factor-2" in run.stderr, "the exit-1 message names it")
        run = grader("grade", str(partial))
        c.check(run.returncode == 0, f"no --min-score exits 0, got {run.returncode}")
        c.check("hint:" in run.stdout and "factor 2" in run.stdout,
                f"the diagnosis is shown as a hint:\n{run.stdout}")

        # Usage errors: exit 2, one line naming the culprit.
        run = grader("grade", str(tmp / "no such dir"))
        c.check(run.returncode == 2, f"missing path exits 2, got {run.returncode}")
        c.check("no such dir" in run.stderr and run.stderr.startswith("grader: error: "),
                f"missing path message: {run.stderr!r}")
        run = grader("grade", str(partial), "--min-score", "7")
        c.check(run.returncode == 2, f"--min-score 7 exits 2, got {run.returncode}")
        run = grader("frobnicate")
        c.check(run.returncode == 2, f"unknown command exits 2, got {run.returncode}")

        # Spec errors: exit 3 with file, field and value.
        run = grader("grade", str(partial), "--exercise", "nope")
        c.check(run.returncode == 3, f"unknown exercise exits 3, got {run.returncode}")
        c.check('unknown exercise "nope"' in run.stderr, f"unknown exercise message {run.stderr!r}")
        broken = tmp / "exercises"
        shutil.copytree(root / "exercises", broken)
        spec_file = broken / "backprop" / "exercise.json"
        spec = json.loads(spec_file.read_text())
        spec["tasks"][1]["tolerance"]["rtol"] = "abc"
        spec_file.write_text(json.dumps(spec))
        run = grader("grade", str(partial), "--exercises", str(broken))
        c.check(run.returncode == 3, f"broken spec exits 3, got {run.returncode}")
        c.check('/tasks/1/tolerance/rtol: expected a number, got "abc"' in run.stderr
                and str(spec_file) in run.stderr, f"broken spec message {run.stderr!r}")
        spec_file.write_text("{ not json")
        run = grader("grade", str(partial), "--exercises", str(broken))
        c.check(run.returncode == 3 and "malformed JSON" in run.stderr,
                f"malformed spec: {run.returncode} {run.stderr!r}")
        run = grader("grade", str(partial), "--python", "/nonexistent/python3")
        c.check(run.returncode == 0, "a missing interpreter does not matter for C++")
        run = grader("grade", str(root / "submissions" / "py-correct-single.py"), "--python",
                     "/nonexistent/python3")
        c.check(run.returncode == 3 and "/nonexistent/python3" in run.stderr,
                f"missing interpreter exits 3: {run.returncode} {run.stderr!r}")

        # No sandbox possible for this process (root without CAP_SYS_ADMIN, CAP_SETUID and
        # CAP_SETGID: neither root mode nor a mappable user namespace): the environment's
        # fault, exit 3 with what to do, and nothing graded without isolation.
        if os.geteuid() == 0:
            report = tmp / "no-sandbox.json"
            run = subprocess.run(
                ["setpriv", "--bounding-set=-sys_admin,-setuid,-setgid", "--", args.grader,
                 "grade", str(root / "submissions" / "py-correct-single.py"), "--report",
                 str(report), "--no-cache"], capture_output=True, text=True, timeout=120)
            c.check(run.returncode == 3 and "no sandbox can be built" in run.stderr
                    and "grader doctor" in run.stderr and not report.exists(),
                    f"no sandbox possible exits 3 with the fix: {run.returncode} {run.stderr!r}")
            run = subprocess.run(["setpriv", "--bounding-set=-sys_admin,-setuid,-setgid", "--",
                                  args.grader, "doctor"], capture_output=True, text=True,
                                 timeout=120)
            c.check("isolation=none-only" in run.stdout and "NOT SAFE" in run.stdout
                    and "fix: root without CAP_SETUID/CAP_SETGID" in run.stdout
                    and run.returncode == 0, f"doctor names the fix: {run.stdout}")
            run = subprocess.run(["setpriv", "--bounding-set=-sys_admin,-setuid,-setgid", "--",
                                  args.grader, "doctor", "--strict"], capture_output=True,
                                 text=True, timeout=120)
            c.check(run.returncode == 3, f"doctor --strict where nothing can sandbox: exit "
                                         f"{run.returncode}")
            run = subprocess.run([args.grader, "doctor", "--strict"], capture_output=True,
                                 text=True, timeout=120)
            c.check(run.returncode == 0 and "verdict: SAFE" in run.stdout,
                    f"doctor --strict as root: exit {run.returncode}")
            run = subprocess.run(["setpriv", "--bounding-set=-sys_admin", "--", args.grader,
                                  "doctor"], capture_output=True, text=True, timeout=120)
            c.check("isolation=full-user-namespace" in run.stdout and "SAFE: " in run.stdout
                    and "mode: user namespace (root without CAP_SYS_ADMIN" in run.stdout,
                    f"without CAP_SYS_ADMIN, doctor finds the user-namespace mode: {run.stdout}")

        # grader serve and grader token are grader-server's: handed over with their arguments,
        # named by doctor, and a clear error where it is missing.
        run = grader("token", "--data", str(tmp / "token-data"))
        c.check(run.returncode == 2 and "token needs an ID" in run.stderr
                and not (tmp / "token-data").exists(),
                f"grader token without ID reaches grader-server, which makes no data folder: "
                f"{run.returncode} {run.stderr!r}")
        run = grader("serve", "--help")
        c.check(run.returncode == 0 and "--listen" in run.stdout, "grader serve --help")
        run = grader("doctor")
        c.check("web service: " in run.stdout and "grader-server (grader serve" in run.stdout,
                f"doctor names grader-server: {run.stdout}")
        # Where runs work: TMPDIR when set (as here), else /dev/shm or /tmp.
        run = subprocess.run([args.grader, "doctor"], capture_output=True, text=True,
                             env=dict(os.environ, TMPDIR=str(tmp)))
        c.check(f"work folders: {tmp} (from TMPDIR)" in run.stdout,
                f"doctor names the work folders: {run.stdout}")
        solo = tmp / "solo"
        solo.mkdir()
        shutil.copy(args.grader, solo / "grader")
        run = subprocess.run([str(solo / "grader"), "serve"], capture_output=True, text=True,
                             timeout=60)
        c.check(run.returncode == 3 and "grader-server" in run.stderr
                and "build the grader-server target" in run.stderr,
                f"grader serve without grader-server: {run.returncode} {run.stderr!r}")

        # An exercise that allows no third-party module: numpy is refused with the reason.
        strict = tmp / "strict"
        shutil.copytree(root / "exercises" / "backprop", strict / "exercises" / "backprop")
        shutil.copytree(root / "reference" / "backprop", strict / "reference" / "backprop")
        spec_path = strict / "exercises" / "backprop" / "exercise.json"
        strict_spec = json.loads(spec_path.read_text())
        strict_spec["languages"]["python"].pop("modules", None)
        spec_path.write_text(json.dumps(strict_spec))
        report = tmp / "strict.json"
        run = grader("grade", str(root / "submissions" / "py-correct-numpy"), "--exercises",
                     str(strict / "exercises"), "--report", str(report))
        sub = json.loads(report.read_text())["submissions"][0] if report.exists() else {}
        first = (sub.get("tasks") or [{"cases": [{}]}])[0]["cases"][0]
        c.check(run.returncode == 0 and first.get("status") == "runtime_error"
                and "does not allow the module 'numpy'" in first.get("message", ""),
                f"numpy refused where not allowed: {run.returncode} {first}")

        # While a batch prepares the exercise (the harness, a precompiled header and the
        # mistake models' program built beside the reference), no cache entry without the
        # answer key appears: another grader sharing the cache would grade against nothing.
        watched = tmp / "watched-cache"
        batch = subprocess.Popen([args.grader, "batch", str(root / "submissions"), "-j", "2",
                                  "--cache-dir", str(watched), "--quiet", *args.extra],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = []
        deadline = time.monotonic() + 300
        while batch.poll() is None and time.monotonic() < deadline:
            for entry in watched.glob("v*/*/prepared.json"):
                try:
                    seen.append(len(json.loads(entry.read_text())["cases"]))
                except (OSError, ValueError, KeyError):
                    seen.append(-1)  # written by rename: never torn
            time.sleep(0.005)
        if batch.poll() is None:
            batch.kill()
        batch.wait()
        c.check(seen and min(seen) == max(seen) and min(seen) > 0,
                f"every cache entry seen during a batch holds the whole key: "
                f"{sorted(set(seen))} ({len(seen)} reads)")

        # An empty folder and a folder without sources are graded as invalid, not errors.
        (tmp / "empty").mkdir()
        report = tmp / "empty.json"
        run = grader("grade", str(tmp / "empty"), "--report", str(report))
        c.check(run.returncode == 0, f"empty folder exits 0, got {run.returncode}")
        s = json.loads(report.read_text())["submissions"][0]
        c.check(s["status"] == "invalid" and "empty" in s["message"], f"empty folder: {s}")

        # init: starters for both languages grade without crashing and score 0.
        for language in ["cpp", "python"]:
            target = tmp / f"start-{language}"
            run = grader("init", str(target), "--language", language)
            c.check(run.returncode == 0, f"init {language}: {run.stderr}")
            report = tmp / f"start-{language}.json"
            run = grader("grade", str(target), "--report", str(report))
            c.check(run.returncode == 0, f"starter {language} grades, exit {run.returncode} "
                                         f"{run.stderr}")
            if report.exists():
                s = json.loads(report.read_text())["submissions"][0]
                c.check(s["status"] == "graded" and s["score"] == 0,
                        f"starter {language}: {s['status']} {s['score']}")
        run = grader("init", str(tmp / "start-cpp"), "--language", "cpp")
        c.check(run.returncode == 2, "init into a non-empty folder exits 2")

        run = grader("explain")
        c.check(run.returncode == 0 and "update_weight" in run.stdout, "explain shows the statement")

        # cases: the prepared exercise's expected values; a second call reuses the cache.
        cache = tmp / "cases-cache"
        first = grader("cases", "--cache-dir", str(cache))
        c.check(first.returncode == 0, f"cases: exit {first.returncode}: {first.stderr}")
        listing = json.loads(first.stdout) if first.returncode == 0 else {"cases": []}
        hidden = [x for x in listing["cases"] if x["visibility"] == "hidden"]
        visible = [x for x in listing["cases"] if x["visibility"] == "visible"]
        c.check(hidden and all("expected" not in x and "inputs" not in x for x in hidden),
                "cases: hidden cases show no inputs or expected values")
        c.check(visible and all("expected" in x and "inputs" in x for x in visible),
                "cases: visible cases show their inputs and expected values")
        c.check(any(cache.rglob("*")), "cases: the prepared exercise is stored in --cache-dir")
        second = grader("cases", "--cache-dir", str(cache))
        c.check(second.returncode == 0 and second.stdout == first.stdout,
                "cases: the cached answer is the same listing")
        uncached = grader("cases", "--no-cache")
        c.check(uncached.returncode == 0 and uncached.stdout == first.stdout,
                "cases --no-cache: the same listing, computed again")

        # Mistake models run only when a task they are about fails: a correct submission on an
        # empty cache runs none, a wrong gradient runs the gradient's, and the cache keeps them.
        lazy = tmp / "lazy-cache"
        run = grader("grade", str(root / "submissions" / "cpp-correct-single.cpp"),
                     "--cache-dir", str(lazy))
        c.check(run.returncode == 0, f"lazy: grade on an empty cache: {run.stderr}")
        prepared = next(lazy.rglob("prepared.json"), None)
        models = json.loads(prepared.read_text())["mistakes"] if prepared else []
        c.check(models and not any(m["ready"] for m in models),
                f"lazy: a correct submission ran no mistake model ({len(models)} listed)")
        run = grader("grade", str(root / "submissions" / "cpp-gradient-missing-factor-2"),
                     "--cache-dir", str(lazy))
        c.check("the derivative of (p - t)^2" in run.stdout, "lazy: the mistake is still named")
        models = json.loads(prepared.read_text())["mistakes"] if prepared else []
        ran = {m["name"] for m in models if m["ready"]}
        c.check(ran and all("gradient" in m["tasks"] for m in models if m["ready"]) and
                all(m["ready"] for m in models if "gradient" in m["tasks"]),
                f"lazy: exactly the gradient's mistake models ran: {sorted(ran)}")
        # The models' answers sit beside the entry, read only when a task fails; answers that no
        # longer match the entry are not used: their models run again, and are stored again.
        answers_file = prepared.with_name("prepared-answers.txt") if prepared else None
        c.check(answers_file is not None and answers_file.exists(),
                "lazy: the models' answers are stored beside the entry")
        if answers_file is not None and answers_file.exists():
            # Same shape, other values: used, they would hide the sign-flip model.
            forged = "".join(" ".join("-" if t == "-" else "n:0x1p+0" for t in line.split()) + "\n"
                             for line in answers_file.read_text().splitlines())
            answers_file.write_text(forged)
            run = grader("grade", str(root / "submissions" / "cpp-gradient-sign-flipped"),
                         "--cache-dir", str(lazy))
            c.check("the wrong sign" in run.stdout,
                    f"lazy: answers that changed are not used; the models ran again: {run.stdout}")
            c.check(answers_file.read_text() != forged, "lazy: the models' answers are stored again")

        # A batch grades its compiled submissions first and the interpreted ones last (so that
        # workers finish together), and reports them in their own order: with -j 1 the cache
        # stores the results in the order they were graded.
        order_class, order_cache = tmp / "order-class", tmp / "order-cache"
        for name, source in (("a-python", root / "reference" / "backprop" / "solution.py"),
                             ("b-python", root / "submissions" / "py-sys-exit" / "main.py"),
                             ("c-cpp", root / "submissions" / "cpp-correct-single.cpp"),
                             ("d-cpp", root / "submissions" / "cpp-gradient-missing-factor-2" /
                              "neuron.cpp")):
            (order_class / name).mkdir(parents=True)
            shutil.copy(source, order_class / name / ("main" + source.suffix))
        order_report = tmp / "order.json"
        run = grader("batch", str(order_class), "-j", "1", "--cache-dir", str(order_cache),
                     "--report", str(order_report), "--quiet")
        c.check(run.returncode == 0 and order_report.exists(), f"order: batch: {run.stderr}")
        if order_report.exists():
            subs = json.loads(order_report.read_text())["submissions"]
            c.check([s["id"] for s in subs] == ["a-python", "b-python", "c-cpp", "d-cpp"],
                    f"order: the report keeps the class's order: {[s['id'] for s in subs]}")
            stored = {p.stem: p.stat().st_mtime_ns for p in order_cache.glob("v*/*/results/*")}
            graded = sorted(subs, key=lambda s: stored.get(s.get("content_hash"), 0))
            c.check(len(stored) == 4 and [s["language"] for s in graded] ==
                    ["cpp", "cpp", "python", "python"],
                    f"order: C++ graded first: {[(s['id'], s['language']) for s in graded]}")

        # The sandbox's probe is remembered in the cache, and each run's probe checks the memo:
        # a memo that is wrong is caught, everything is graded again under the right key, and
        # nothing is stored under the wrong one.
        memo_cache = tmp / "memo-cache"
        python_correct = root / "reference" / "backprop" / "solution.py"
        first_report, second_report = tmp / "memo-1.json", tmp / "memo-2.json"
        run = grader("grade", str(python_correct), "--cache-dir", str(memo_cache),
                     "--report", str(first_report))
        memos = sorted((memo_cache / "sandbox").glob("probe-*"))
        c.check(run.returncode == 0 and len(memos) == 1,
                f"memo: a grade leaves one probe memo in the cache: {memos} {run.stderr}")
        entries = sorted(p.name for p in memo_cache.glob("v*/*"))
        if memos and first_report.exists():
            truth = memos[0].read_text()
            wrong = (truth.replace("mode=root", "mode=user-namespace") if "mode=root" in truth
                     else truth.replace("mode=user-namespace", "mode=root"))
            memos[0].write_text(wrong)
            again = root / "reference" / "backprop" / "solution.cpp"
            run = grader("grade", str(again), "--cache-dir", str(memo_cache),
                         "--report", str(second_report))
            c.check(run.returncode == 0 and second_report.exists(),
                    f"memo: a wrong memo still grades: exit {run.returncode} {run.stderr}")
            if second_report.exists():
                first, second = (json.loads(p.read_text()) for p in (first_report, second_report))
                c.check(second["sandbox"] == first["sandbox"],
                        f"memo: the report names the probed sandbox, not the memo's: "
                        f"{second['sandbox']!r} vs {first['sandbox']!r}")
                c.check(second["exercise_hash"] == first["exercise_hash"],
                        "memo: the exercise hash is the one the probe gives")
                c.check(second["submissions"][0]["score"] ==
                        second["submissions"][0]["max_score"],
                        "memo: graded in full on the second attempt")
            c.check(sorted(p.name for p in memo_cache.glob("v*/*")) == entries,
                    "memo: no cache entry was made under the wrong memo's key")
            c.check(memos[0].read_text() == truth, "memo: the wrong memo is replaced by the truth")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
