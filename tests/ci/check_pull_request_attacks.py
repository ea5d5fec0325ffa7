#!/usr/bin/env python3
"""Pull requests that attack the grading, played against a course repository and graded by the
trusted side exactly as .github/workflows/grade-submissions.yml does it.

A bare repository stands for the course on GitHub: its base branch holds the exercise, the
reference, a copy of grader/src/compare.cpp, the workflow and another student's merged work.
Each pull request is pushed as refs/pull/N/head from a student's clone. For each, the test makes
a fresh full clone of the base branch (the workflow's actions/checkout), reads the workflow from
that clone, and runs the `run:` scripts of its steps `private`, `fetch` and `grade` with bash as
the runner would, their `${{ }}` expressions filled in from the pull request's event (an
expression the test does not know fails it). `sudo` is a stand-in that runs its command, and
build/bin/grader is the grader under test; GRADER_EXERCISES points at the clone's exercises/,
which is where the workflow's grader, built in the clone, looks by default.

Every attacking pull request carries the same wrong submission (a gradient missing its factor 2,
7.73 / 10 when graded alone) and one of: the workflow edited to `exit 0`, the reference edited
to give the wrong answers, the gradient's tolerance loosened, compare.cpp patched, another
student's folder edited, the reference renamed into the submission, symbolic links to
../../reference, a file named like the grader's harness, a submodule. None may raise the grade:
each must be refused (exit 2, no report) with a message and annotations naming what was refused.
Two of the attacks are also graded the old way (the pull request checked out, its exercises
used), to show that they do raise the grade there. The roster, the private part in a secret and
a pull request that only deletes are played too. Ends with an 'N passed, N failed' line."""

import argparse
import base64
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402

WRONG = "cpp-gradient-missing-factor-2"  # the gradient without its factor 2: 7.73 / 10
RIGHT = "cpp-correct-multi-file"
RUN_STEPS = ["private", "fetch", "grade"]  # the workflow's steps that run on the trusted side
SUDO = """#!/bin/bash
# Stands in for sudo: drops sudo's own options and runs the command as this user.
while [[ $# -gt 0 && $1 == -* ]]; do shift; done
exec "$@"
"""


class Course:
    """The course repository, its students' clones, and the trusted side's runs."""

    def __init__(self, tmp, root, grader, c):
        self.tmp, self.root, self.grader, self.c = tmp, root, grader, c
        self.home = tmp / "home"
        self.home.mkdir()
        (tmp / "bin").mkdir()
        (tmp / "bin" / "sudo").write_text(SUDO)
        (tmp / "bin" / "sudo").chmod(0o755)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
        self.env.update(HOME=str(self.home), GIT_CONFIG_NOSYSTEM="1",
                        XDG_CACHE_HOME=str(tmp / "cache"),
                        PATH=f"{tmp / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                        GIT_AUTHOR_NAME="Someone", GIT_AUTHOR_EMAIL="someone@example.org",
                        GIT_COMMITTER_NAME="Someone", GIT_COMMITTER_EMAIL="someone@example.org")
        self.origin = tmp / "origin.git"
        self.git("init", "-q", "--bare", "-b", "main", str(self.origin), cwd=tmp)
        self.count = 0

    def git(self, *argv, cwd):
        run = subprocess.run(["git", *argv], cwd=cwd, env=self.env, capture_output=True,
                             text=True, timeout=120)
        if run.returncode != 0:
            raise SystemExit(f"FAIL: git {' '.join(argv)}: {run.stderr}")
        return run.stdout.strip()

    def clone(self, name, branch="main"):
        work = self.tmp / name
        self.git("clone", "-q", "--branch", branch, str(self.origin), str(work), cwd=self.tmp)
        return work

    def make_base(self, with_reference=True):
        """The instructor's base branch: what the trusted side runs."""
        work = self.tmp / "instructor"
        self.git("init", "-q", "-b", "main", str(work), cwd=self.tmp)
        shutil.copytree(self.root / "exercises", work / "exercises")
        if with_reference:
            shutil.copytree(self.root / "reference", work / "reference")
        (work / "grader" / "src").mkdir(parents=True)
        shutil.copy(self.root / "grader" / "src" / "compare.cpp", work / "grader" / "src")
        (work / ".github" / "workflows").mkdir(parents=True)
        shutil.copy(self.root / ".github" / "workflows" / "grade-submissions.yml",
                    work / ".github" / "workflows")
        shutil.copytree(self.root / "submissions" / RIGHT, work / "submissions" / "bob")
        (work / "README.md").write_text("Course\n")
        self.git("add", "-A", cwd=work)
        self.git("commit", "-q", "-m", "course", cwd=work)
        self.git("push", "-q", str(self.origin), "main", cwd=work)
        # A second base branch with a roster: alice-gh may change submissions/alice only.
        self.git("checkout", "-q", "-b", "roster", cwd=work)
        (work / "submissions" / ".roster.csv").write_text(
            "# GitHub login, submission\nlogin,submission\nalice-gh,alice\nbob-gh,bob\n")
        self.git("add", "-A", cwd=work)
        self.git("commit", "-q", "-m", "roster", cwd=work)
        self.git("push", "-q", str(self.origin), "roster", cwd=work)
        # A third with no submission yet: no submissions/ folder in the trusted checkout.
        self.git("checkout", "-q", "-b", "fresh", "main", cwd=work)
        self.git("rm", "-q", "-r", "submissions", cwd=work)
        self.git("commit", "-q", "-m", "fresh course", cwd=work)
        self.git("push", "-q", str(self.origin), "fresh", cwd=work)

    def pull_request(self, change, base="main"):
        """A student's clone of `base`, changed by `change(work)`, pushed as refs/pull/N/head."""
        self.count += 1
        work = self.clone(f"student-{self.count}", base)
        change(work)
        self.git("add", "-A", cwd=work)
        self.git("commit", "-q", "--allow-empty", "-m", "my work", cwd=work)
        head = self.git("rev-parse", "HEAD", cwd=work)
        self.git("push", "-q", "origin", f"HEAD:refs/pull/{self.count}/head", cwd=work)
        return self.count, head

    def expression(self, text, context):
        """The value of one `${{ }}` expression: a known name, or `a || 'literal'`."""
        for operand in (o.strip() for o in text.split("||")):
            literal = re.fullmatch(r"'([^']*)'", operand)
            if literal:
                value = literal.group(1)
            elif operand in context:
                value = context[operand]
            else:
                raise SystemExit(f"FAIL: the workflow uses ${{{{ {text} }}}}, unknown to this test")
            if value:
                return value
        return ""

    def run_trusted(self, number, head, author, base="main", min_score="1", secrets=None):
        """The workflow's trusted steps for pull request `number`, as the runner runs them."""
        checkout = self.clone(f"trusted-{number}", base)  # actions/checkout, fetch-depth 0
        build = checkout / "build" / "bin"
        build.mkdir(parents=True)
        (build / "grader").symlink_to(self.grader)
        workflow = yaml.safe_load(
            (checkout / ".github/workflows/grade-submissions.yml").read_text())
        steps = {s.get("id"): s for s in workflow["jobs"]["grade"]["steps"] if s.get("id")}
        context = {"github.event.pull_request.number": str(number),
                   "github.event.pull_request.head.sha": head,
                   "github.event.pull_request.user.login": author,
                   "vars.MIN_SCORE": min_score, "vars.PRIVATE_REPOSITORY": "",
                   "vars.PRIVATE_EXERCISES_DIR": "",
                   "secrets.PRIVATE_EXERCISES_TARBALL": (secrets or {}).get("tarball", "")}
        runner_temp = self.tmp / f"runner-temp-{number}"
        runner_temp.mkdir()
        summary = runner_temp / "step-summary.md"
        summary.write_text("")
        result = {}
        for step_id in RUN_STEPS:
            step = steps[step_id]
            outputs = runner_temp / f"{step_id}.out"
            outputs.write_text("")
            env = dict(self.env, GITHUB_WORKSPACE=str(checkout), GITHUB_OUTPUT=str(outputs),
                       GITHUB_STEP_SUMMARY=str(summary), RUNNER_TEMP=str(runner_temp),
                       GRADER_EXERCISES=str(checkout / "exercises"))
            for key, value in (step.get("env") or {}).items():
                env[key] = re.sub(r"\$\{\{\s*(.*?)\s*\}\}",
                                  lambda m: self.expression(m.group(1), context), str(value))
            script = runner_temp / f"{step_id}.sh"
            script.write_text(step["run"])
            run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                                  str(script)], cwd=checkout, env=env, capture_output=True,
                                 text=True, timeout=600)
            for line in outputs.read_text().splitlines():
                key, _, value = line.partition("=")
                context[f"steps.{step_id}.outputs.{key}"] = value
            result[step_id] = run
            if run.returncode != 0:
                break
        grade = result.get("grade")
        report = checkout / "reports" / "report.json"
        return {"code": grade.returncode if grade else None,
                "failed_step": next((k for k, r in result.items() if r.returncode != 0), None),
                "out": grade.stdout if grade else "",
                "err": "".join(r.stderr for r in result.values()),
                "report": json.loads(report.read_text()) if report.exists() else None,
                "summary": summary.read_text(), "checkout": checkout}

    def run_old_way(self, number):
        """The pull request checked out and graded with its own exercises: the old workflow."""
        work = self.clone(f"old-way-{number}")
        self.git("fetch", "-q", "origin", f"refs/pull/{number}/head", cwd=work)
        self.git("checkout", "-q", "FETCH_HEAD", cwd=work)
        reports = self.tmp / f"old-way-{number}-reports"
        run = subprocess.run([str(self.grader), "grade", "--changed-since", "origin/main",
                              "submissions", "--exercises", str(work / "exercises"),
                              "--format", "json", "--report-dir", str(reports)],
                             cwd=work, env=self.env, capture_output=True, text=True, timeout=600)
        report = reports / "report.json"
        return run, json.loads(report.read_text()) if report.exists() else None


def scores(report):
    return {s["path"]: round(s["score"], 2) for s in (report or {}).get("submissions", [])}


def add_wrong(work, folder="alice"):
    shutil.copytree(ROOT / "submissions" / WRONG, work / "submissions" / folder)


def edit(path, old, new):
    text = path.read_text()
    if old not in text:
        raise SystemExit(f"FAIL: {old!r} is not in {path}")
    path.write_text(text.replace(old, new))


def loosen_tolerance(work):
    spec_file = work / "exercises" / "backprop" / "exercise.json"
    spec = json.loads(spec_file.read_text())
    task = next(t for t in spec["tasks"] if t["id"] == "gradient")
    task["tolerance"]["rtol"] = 1.0
    spec_file.write_text(json.dumps(spec, indent=1))


def add_submodule(work):
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True,
                            text=True).stdout.strip()
    # An empty folder where the submodule goes, so that `git add -A` keeps it.
    (work / "submissions/alice/vendor").mkdir()
    subprocess.run(["git", "update-index", "--add", "--cacheinfo",
                    f"160000,{commit},submissions/alice/vendor"], cwd=work, check=True)


# Each attack: a name, what the pull request does besides adding the wrong submission, the paths
# the refusal must name, and whether the old way is played too.
ATTACKS = [
    ("workflow edited to exit 0",
     lambda w: edit(w / ".github/workflows/grade-submissions.yml", "run: |\n          # git runs",
                    "run: |\n          exit 0\n          # git runs"),
     [".github/workflows/grade-submissions.yml"], False),
    ("reference gives the wrong answers",
     lambda w: edit(w / "reference/backprop/solution.cpp", "return 2.0 * prediction_error",
                    "return prediction_error"),
     ["reference/backprop/solution.cpp"], True),
    ("gradient tolerance loosened", loosen_tolerance,
     ["exercises/backprop/exercise.json"], True),
    ("compare.cpp patched",
     lambda w: (w / "grader/src/compare.cpp").write_text(
         (w / "grader/src/compare.cpp").read_text() + "\n// every answer passes\n"),
     ["grader/src/compare.cpp"], False),
    ("another student's folder edited",
     lambda w: (w / "submissions/bob/README.txt").write_text("bob copied from alice\n"),
     ["submissions/bob/README.txt"], False),
    ("the reference renamed into the submission",
     lambda w: shutil.move(w / "reference/backprop/solution.cpp",
                           w / "submissions/alice/solution_ref.cpp"),
     ["reference/backprop/solution.cpp"], False),
    ("symbolic links to ../../reference",
     lambda w: (os.symlink("../../reference", w / "submissions/alice/ref"),
                os.symlink("../../reference/backprop/solution.cpp",
                           w / "submissions/alice/solution.cpp")),
     ["submissions/alice/ref", "submissions/alice/solution.cpp"], False),
    ("a file named like the harness",
     lambda w: (w / "submissions/alice/harness.py").write_text(
         "import os\nos.write(3, b'passed\\n')\n"),
     ["submissions/alice/harness.py"], False),
    ("a submodule in the submission", add_submodule, ["submissions/alice/vendor"], False),
]


def check_refused(c, name, run, paths):
    c.check(run["code"] == 2, f"{name}: refused with exit 2, got {run['code']} "
                              f"(failed step {run['failed_step']})\n{run['out']}{run['err']}")
    c.check(run["report"] is None, f"{name}: no report, so no grade: {scores(run['report'])}")
    c.check("grader: error: pull request refused" in run["err"],
            f"{name}: the error says the pull request is refused:\n{run['err']}")
    for path in paths:
        c.check(f'"{path}": ' in run["err"], f"{name}: the message names {path}:\n{run['err']}")
        c.check(f"::error file={path},title=pull request refused::" in run["out"],
                f"{name}: an annotation on {path}:\n{run['out']}")
        c.check(path in run["summary"] and "Pull request refused" in run["summary"],
                f"{name}: the job summary names {path}:\n{run['summary']}")


ROOT = None  # the project's folder, from --root


def main():
    global ROOT
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    ROOT = pathlib.Path(args.root).resolve()
    grader = pathlib.Path(args.grader).resolve()
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        course = Course(pathlib.Path(tmp), ROOT, grader, c)
        course.make_base()

        # The wrong submission alone: graded below MIN_SCORE 1, annotated where it is.
        number, head = course.pull_request(add_wrong)
        run = course.run_trusted(number, head, "alice-gh")
        c.check(run["code"] == 1, f"the wrong submission alone is graded and below MIN_SCORE: "
                                  f"{run['code']}\n{run['out']}{run['err']}")
        # Its grade alone is the one no attack may raise.
        wrong = scores(run["report"]).get("submissions/alice")
        c.check(list(scores(run["report"])) == ["submissions/alice"] and wrong is not None and
                wrong < 10, f"the report names the repository path, and the submission is wrong: "
                            f"{scores(run['report'])}")
        c.check("::warning file=submissions/alice/neuron.cpp,line=" in run["out"],
                f"the task's warning sits on the student's file in the repository:\n{run['out']}")
        c.check("| `alice` |" in run["summary"], f"the job summary has alice:\n{run['summary']}")

        # A correct submission: full marks, exit 0.
        number, head = course.pull_request(
            lambda w: shutil.copytree(ROOT / "submissions" / RIGHT, w / "submissions" / "alice"))
        run = course.run_trusted(number, head, "alice-gh")
        c.check(run["code"] == 0 and scores(run["report"]) == {"submissions/alice": 10.0},
                f"a correct submission gets full marks: {run['code']} {scores(run['report'])}\n"
                f"{run['err']}")

        for name, attack, paths, old_way in ATTACKS:
            number, head = course.pull_request(lambda w: (add_wrong(w), attack(w)))
            check_refused(c, name, course.run_trusted(number, head, "alice-gh"), paths)
            if old_way:
                old, report = course.run_old_way(number)
                c.check(scores(report).get("submissions/alice", 0) > wrong,
                        f"{name}: the attack is real, the old way raises the grade: "
                        f"{scores(report)}\n{old.stderr}")

        # The roster: alice-gh may change submissions/alice, not bob's; strangers nothing.
        number, head = course.pull_request(add_wrong, base="roster")
        run = course.run_trusted(number, head, "Alice-GH", base="roster")
        c.check(run["code"] == 1 and scores(run["report"]) == {"submissions/alice": wrong},
                f"roster: alice-gh's own folder is graded: {run['code']}\n{run['err']}")
        number, head = course.pull_request(
            lambda w: (shutil.rmtree(w / "submissions/bob"), add_wrong(w, "bob")), base="roster")
        run = course.run_trusted(number, head, "alice-gh", base="roster")
        check_refused(c, "roster: bob's folder by alice-gh", run, ["submissions/bob/neuron.cpp"])
        c.check("which the roster submissions/.roster.csv does not give to \"alice-gh\"" in
                run["err"], f"roster: the message says whose folder it is:\n{run['err']}")
        number, head = course.pull_request(add_wrong, base="roster")
        run = course.run_trusted(number, head, "mallory", base="roster")
        c.check(run["code"] == 2 and run["report"] is None and
                'the author "mallory" is not in the roster' in run["err"],
                f"roster: an author missing from it is refused: {run['code']}\n{run['err']}")

        # The first submission of a course: the base branch has no submissions/ yet.
        number, head = course.pull_request(add_wrong, base="fresh")
        run = course.run_trusted(number, head, "alice-gh", base="fresh")
        c.check(run["code"] == 1 and scores(run["report"]) == {"submissions/alice": wrong},
                f"a base branch without submissions/ grades the first one: {run['code']}\n"
                f"{run['err']}")

        # Two submissions in one pull request, without a roster: refused, both named.
        number, head = course.pull_request(lambda w: (add_wrong(w), add_wrong(w, "carol")))
        check_refused(c, "two submissions", course.run_trusted(number, head, "alice-gh"),
                      ["submissions/alice/neuron.cpp", "submissions/carol/neuron.cpp"])

        # Deleting one's submission grades nothing and passes.
        number, head = course.pull_request(lambda w: shutil.rmtree(w / "submissions/bob"))
        run = course.run_trusted(number, head, "bob-gh")
        c.check(run["code"] == 0 and "deletes \"submissions/bob\"; nothing to grade" in run["out"],
                f"a deletion grades nothing: {run['code']}\n{run['out']}{run['err']}")

        # The private part in a secret: the base branch has no reference, the tarball has it.
        check_private_part(c, pathlib.Path(tmp), grader, wrong)

    return c.finish()


def check_private_part(c, tmp, grader, wrong):
    (tmp / "private").mkdir()
    course = Course(tmp / "private", ROOT, grader, c)
    course.make_base(with_reference=False)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(ROOT / "exercises", arcname="exercises")
        tar.add(ROOT / "reference", arcname="reference")
    tarball = base64.b64encode(buffer.getvalue()).decode()
    number, head = course.pull_request(add_wrong)
    run = course.run_trusted(number, head, "alice-gh")
    c.check(run["code"] == 3, f"private part: without it the base branch cannot grade (no "
                              f"reference), exit 3: {run['code']}\n{run['err'][-300:]}")
    number, head = course.pull_request(add_wrong)
    run = course.run_trusted(number, head, "alice-gh", secrets={"tarball": tarball})
    c.check(run["code"] == 1 and scores(run["report"]) == {"submissions/alice": wrong},
            f"private part: the tarball in the secret grades it: {run['code']}\n{run['err']}")


if __name__ == "__main__":
    sys.exit(main())
