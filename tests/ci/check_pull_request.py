#!/usr/bin/env python3
"""A pull request, simulated for real: a temporary git repository whose base commit holds a few
example submissions, and a branch that adds a correct one and a broken one (an error at a known
file and line) and edits a third. `grader grade --changed-since BASE DIR --format github` must
grade exactly those three, list the file changed outside DIR without grading it, annotate the
broken file's line, write the job summary and follow --min-score; an unknown REF exits 2;
nothing changed exits 0 with a message. Ends with an 'N passed, N failed' line; exits non-zero on
any failure. --keep DIR keeps the outputs of the pull-request run there (docs/ci.md quotes them).
The pull requests that attack the grading are played in check_pull_request_attacks.py."""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# The broken submission: a helper file whose line 3 calls an undeclared function.
BROKEN_HELPERS = """// Helpers shared by the four functions.
double sigmoid(double z) {
    return 1.0 / (1.0 + exp_of(-z));
}
"""
BROKEN_LINE = 3
BROKEN_COLUMN = BROKEN_HELPERS.splitlines()[BROKEN_LINE - 1].index("exp_of") + 1
BROKEN_MAIN = """double sigmoid(double z);

double forward(double weight, double input, double bias) {
    return sigmoid(weight * input + bias);
}

double loss(double prediction, double target) {
    return (prediction - target) * (prediction - target);
}

double gradient(double weight, double input, double bias, double target) {
    double s = forward(weight, input, bias);
    return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
    return weight - learning_rate * gradient;
}
"""


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--extra", action="append", default=[],
                        help="extra grader flags, e.g. --unsafe-no-sandbox")
    parser.add_argument("--keep", help="copy the pull-request run's outputs into this folder")
    args = parser.parse_args()
    args.grader = str(pathlib.Path(args.grader).resolve())
    root = pathlib.Path(args.root).resolve()
    examples = root / "submissions"
    c = Checker()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        repo = tmp / "course"
        subs_rel = "submissions"
        subs = repo / subs_rel
        subs.mkdir(parents=True)
        home = tmp / "home"
        home.mkdir()
        # git and the grader see only this test's configuration, and no GitHub variables of a
        # CI run that may be running this test.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
        env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Instructor",
                   GIT_AUTHOR_EMAIL="instructor@example.org", GIT_COMMITTER_NAME="Instructor",
                   GIT_COMMITTER_EMAIL="instructor@example.org")

        def git(*argv, cwd=repo):
            run = subprocess.run(["git", *argv], cwd=cwd, env=env, capture_output=True,
                                 text=True, timeout=60)
            if run.returncode != 0:
                raise SystemExit(f"FAIL: git {' '.join(argv)}: {run.stderr}")
            return run.stdout.strip()

        def grader(*argv, cwd=repo, summary=None):
            run_env = dict(env)
            if summary is not None:
                run_env["GITHUB_STEP_SUMMARY"] = str(summary)
            return subprocess.run([args.grader, *argv, *args.extra], cwd=cwd, env=run_env,
                                  capture_output=True, text=True, timeout=600)

        # The base commit: three example submissions and a file outside the submissions.
        git("init", "-q", "-b", "main")
        for name in ["cpp-gradient-missing-factor-2", "py-correct-lesson-style",
                     "cpp-correct-single.cpp"]:
            source = examples / name
            if source.is_dir():
                shutil.copytree(source, subs / name)
            else:
                shutil.copy(source, subs / name)
        (repo / "README.md").write_text("Course\n")
        git("add", "-A")
        git("commit", "-q", "-m", "base")
        base = git("rev-parse", "HEAD")

        # The pull request: one correct and one broken submission added, a third edited.
        git("checkout", "-q", "-b", "student-work")
        shutil.copytree(examples / "cpp-correct-multi-file", subs / "cpp-new-correct")
        (subs / "cpp-new-broken").mkdir()
        (subs / "cpp-new-broken" / "main.cpp").write_text(BROKEN_MAIN)
        (subs / "cpp-new-broken" / "helpers.cpp").write_text(BROKEN_HELPERS)
        edited = sorted((subs / "cpp-gradient-missing-factor-2").glob("*.cpp"))[0]
        edited.write_text("// second attempt\n" + edited.read_text())
        (repo / "README.md").write_text("Course, edited outside the submissions\n")
        git("add", "-A")
        git("commit", "-q", "-m", "student work")

        expected = {"cpp-gradient-missing-factor-2", "cpp-new-broken", "cpp-new-correct"}
        summary = tmp / "step-summary.md"
        summary.write_text("")
        reports = tmp / "reports"
        # The flags of .github/workflows/grade-submissions.yml.
        run = grader("grade", "--changed-since", base, subs_rel, "--format", "github",
                     "--format", "json", "--format", "junit", "--report-dir", str(reports),
                     "--min-score", "0.9", "--color", "never", summary=summary)
        out = run.stdout
        c.check(run.returncode == 1, f"a broken submission below --min-score 0.9 exits 1, got "
                                     f"{run.returncode}\n{run.stdout}{run.stderr}")
        report_file = reports / "report.json"
        graded = set()
        if c.check(report_file.exists(), "--format json beside github writes report.json"):
            graded = {s["id"] for s in json.loads(report_file.read_text())["submissions"]}
        c.check(graded == expected, f"graded exactly the changed three: {sorted(graded)}")
        c.check((reports / "junit.xml").exists(), "--format junit beside github writes junit.xml")
        for name in ["py-correct-lesson-style", "cpp-correct-single"]:
            c.check(name not in out, f"the unchanged {name} is not graded")
        c.check(f'note: 1 changed file outside {subs_rel} is not graded: "README.md"' in out,
                f"the change outside {subs_rel}/ is listed, not graded:\n{out[:400]}")

        # Workflow commands are paused while the human summary (student output) is printed.
        stop = re.search(r"^::stop-commands::(\S+)$", out, re.M)
        if c.check(stop is not None, f"the text part is inside ::stop-commands::\n{out}"):
            token = stop.group(1)
            c.check(len(token) >= 16, f"the stop token is long and random: {token!r}")
            resume = out.find(f"\n::{token}::\n")
            c.check(resume > stop.start(), "the token resumes workflow commands")
            c.check(out.rfind("::error ") > resume, "the annotations come after the resume")

        error = (f"::error file={subs_rel}/cpp-new-broken/helpers.cpp,line={BROKEN_LINE},"
                 f"col={BROKEN_COLUMN},title=cpp-new-broken%3A compile error::")
        error_lines = [l for l in out.splitlines() if l.startswith("::error ")]
        c.check(any(l.startswith(error) and "exp_of" in l for l in error_lines),
                f"an ::error annotation points at helpers.cpp line {BROKEN_LINE}:\n"
                + "\n".join(error_lines))
        warnings = [l for l in out.splitlines() if l.startswith("::warning ")]
        c.check(any("task gradient failed" in l and "Hint:" in l and
                    "cpp-gradient-missing-factor-2" in l for l in warnings),
                "a ::warning names the failing task gradient and its hint:\n" + "\n".join(warnings))
        source = edited.read_text().splitlines()
        line = next(i for i, text in enumerate(source, 1) if re.match(r"double gradient\(", text))
        c.check(any(l.startswith(f"::warning file={subs_rel}/cpp-gradient-missing-factor-2/"
                                 f"{edited.name},line={line},") for l in warnings),
                f"the gradient warning sits on the function's definition, line {line}")
        c.check(not any("cpp-new-correct" in l for l in error_lines + warnings),
                "no error or warning for the correct submission")
        c.check(any(l.startswith("::notice ") and "cpp-new-correct" in l
                    for l in out.splitlines()), "a ::notice tells the correct one got full marks")

        text = summary.read_text()
        c.check("| Submission | Language | Status | Score | `forward` | `loss` | `gradient` | "
                "`update_weight` |" in text, f"the job summary has the table:\n{text}")
        for name in expected:
            c.check(f"| `{name}` |" in text, f"the summary table has a row for {name}")
        c.check("`py-correct-lesson-style`" not in text, "the summary lists only the graded")
        c.check(re.search(r"first failing visible case `gradient/[^`]+`: wrong_answer", text)
                is not None, "the summary shows the first failing visible case")
        # Hidden cases: neither their ids nor their expected values appear anywhere.
        cases = subprocess.run([args.grader, "cases", "--show-hidden", *args.extra], env=env,
                               capture_output=True, text=True, timeout=600)
        hidden = [h for h in json.loads(cases.stdout or '{"cases": []}')["cases"]
                  if h["visibility"] == "hidden"]
        c.check(len(hidden) > 10, "grader cases --show-hidden lists the hidden cases")
        leaks = [h["id"] for h in hidden
                 if h["id"] in text + out or (len(repr(h["expected"])) >= 8
                                              and repr(h["expected"]) in text + out)]
        c.check(not leaks, f"hidden cases never show their id or expected value: {leaks}")

        if args.keep:
            keep = pathlib.Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            (keep / "stdout.txt").write_text(out)
            (keep / "stderr.txt").write_text(run.stderr)
            (keep / "step-summary.md").write_text(text)

        # Without --min-score the same pull request exits 0.
        run = grader("grade", "--changed-since", base, subs_rel, "--format", "github",
                     summary=summary)
        c.check(run.returncode == 0, f"without --min-score exits 0, got {run.returncode}\n"
                                     f"{run.stderr}")

        # Errors: an unknown REF and a folder outside any repository exit 2 with a message.
        run = grader("grade", "--changed-since", "no-such-branch", subs_rel)
        c.check(run.returncode == 2, f"unknown REF exits 2, got {run.returncode}")
        c.check(run.stderr.startswith("grader: error: ") and "no-such-branch" in run.stderr,
                f"unknown REF message names it: {run.stderr!r}")
        outside = tmp / "not-a-repo"
        outside.mkdir()
        run = grader("grade", "--changed-since", "HEAD", str(outside), cwd=tmp)
        c.check(run.returncode == 2 and "git" in run.stderr,
                f"a folder outside git exits 2 with git's message: {run.returncode} "
                f"{run.stderr!r}")
        run = grader("grade", "--changed-since", "HEAD", subs_rel, subs_rel)
        c.check(run.returncode == 2, f"two DIRs exit 2, got {run.returncode}")
        run = grader("grade")
        c.check(run.returncode == 2, f"grade without PATH or --changed-since exits 2, got "
                                     f"{run.returncode}")

        # Nothing changed since HEAD: exit 0 and say so (run from elsewhere, absolute DIR).
        run = grader("grade", "--changed-since", "HEAD", str(subs), "--format", "github",
                     "--min-score", "1", cwd=tmp)
        c.check(run.returncode == 0, f"nothing changed exits 0, got {run.returncode}\n"
                                     f"{run.stderr}")
        c.check("no submission under" in run.stdout and "nothing to grade" in run.stdout,
                f"nothing changed says so: {run.stdout!r}")

        # The working tree counts too: a staged deletion is skipped with a note, an untracked
        # single-file submission and an unstaged edit are graded; the default DIR is submissions/.
        git("rm", "-q", "-r", f"{subs_rel}/py-correct-lesson-style")
        shutil.copy(examples / "py-correct-single.py", subs / "py-untracked.py")
        single = subs / "cpp-correct-single.cpp"
        single.write_text(single.read_text() + "\n// unstaged edit\n")
        run = grader("grade", "--changed-since", "HEAD", "--format", "json", "--report-dir",
                     str(tmp / "wt"))
        c.check(run.returncode == 0, f"working-tree changes grade, exit {run.returncode}\n"
                                     f"{run.stderr}")
        c.check(re.search(r"note: .*py-correct-lesson-style.* deleted", run.stdout) is not None,
                f"the deleted submission is skipped with a note:\n{run.stdout}")
        graded = set()
        if (tmp / "wt" / "report.json").exists():
            graded = {s["id"] for s in
                      json.loads((tmp / "wt" / "report.json").read_text())["submissions"]}
        c.check(graded == {"py-untracked", "cpp-correct-single"},
                f"untracked and unstaged changes are graded: {sorted(graded)}")

    print(f"{c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
