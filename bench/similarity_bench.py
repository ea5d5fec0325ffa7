#!/usr/bin/env python3
"""Similarity check against a peer: grader similarity and Dolos on the same generated class.

    python3 bench/similarity_bench.py --grader build/bin/grader [--seed 2026] [--no-dolos]

1. Generates a corpus (tests/similarity/make_corpus.py) from a seed the tests do not use, so
   that nothing was tuned to it, and runs `grader similarity` on it: precision, recall, time.
2. Installs Dolos (@dodona/dolos-lib from npm) into a folder of its own (--dolos-dir, default
   a folder under the system's temporary directory, reused by later runs; never a dependency of
   the product) and runs it per language on the same files, with the exercise's starter file as
   its "ignore" template. Dolos scores every pair; it has no threshold of its own, so it is
   scored at the grader's threshold and at the threshold that is best for it on this corpus
   (chosen knowing the answers: the most favourable setting Dolos could have).
   Dolos's tree-sitter parsers are native modules that npm builds with node-gyp; npm 11 does
   not run install scripts by default, so the bench runs `npm rebuild --foreground-scripts`
   with `--nodedir` pointing at the installed Node headers (no download).
3. A timing run: `grader similarity` on a generated class of --timing-size submissions.

Prints figures; never fails on them (exit 1 only when a tool cannot run at all).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "similarity"))

import evaluate  # noqa: E402
import make_corpus  # noqa: E402

DOLOS_VERSION = "3.5.1"

DOLOS_SCRIPT = r"""
import { Dolos } from "@dodona/dolos-lib";
import { readFileSync } from "node:fs";
const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = [];
for (const group of job.groups) {
  const options = { language: group.language, ...job.options };
  const dolos = new Dolos(options);
  const started = Date.now();
  const report = await dolos.analyzePaths(group.files, group.ignore);
  for (const pair of report.allPairs()) {
    out.push([pair.leftFile.path, pair.rightFile.path, pair.similarity]);
  }
  process.stderr.write(`dolos ${group.language}: ${group.files.length} files in ${Date.now() - started} ms\n`);
}
process.stdout.write(JSON.stringify(out));
"""


def submission_files(corpus, labels):
    """(id, language, file) for every submission of the corpus."""
    subs = os.path.join(corpus, "submissions")
    for sid, language in sorted(labels["submissions"].items()):
        path = os.path.join(subs, sid, "main.cpp") if language == "cpp" else os.path.join(
            subs, sid + ".py")
        yield sid, language, path


def id_of(path):
    base = os.path.basename(path)
    return os.path.basename(os.path.dirname(path)) if base == "main.cpp" else base[:-3]


def run_grader(grader, corpus, extra=()):
    report = os.path.join(corpus, "grader-report.json")
    started = time.monotonic()
    proc = subprocess.run(
        [grader, "similarity", os.path.join(corpus, "submissions"), "--exercises",
         os.path.join(ROOT, "exercises"), "--exercise", "backprop", "--report", report, *extra],
        capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"grader similarity failed ({proc.returncode}): {proc.stderr}")
    with open(report) as f:
        return json.load(f), elapsed


def install_dolos(folder):
    """Installs dolos-lib into `folder`; returns None, or the reason it failed, verbatim."""
    marker = os.path.join(folder, "node_modules", "@dodona", "dolos-parsers", "build", "Release",
                          "tree_sitter_python_binding.node")
    if os.path.exists(marker):
        return None
    os.makedirs(folder, exist_ok=True)
    if shutil.which("npm") is None or shutil.which("node") is None:
        return "npm or node is not installed"
    with open(os.path.join(folder, "package.json"), "w") as f:
        json.dump({"name": "grader-similarity-bench", "private": True, "type": "module"}, f)
    rebuild = ["npm", "rebuild", "--foreground-scripts"]
    for headers in ("/usr/include/node", "/usr/local/include/node"):
        if os.path.exists(os.path.join(headers, "node_version.h")):
            rebuild.append("--nodedir=" + os.path.dirname(os.path.dirname(headers)))
            break
    # Some npm versions run the parsers' install scripts (node-gyp) during install, others only
    # list them; the rebuild runs them when the install did not.
    for step in (["npm", "install", "--no-audit", "--no-fund", f"@dodona/dolos-lib@{DOLOS_VERSION}"],
                 rebuild):
        if step is rebuild and os.path.exists(marker):
            break
        print(f"dolos install: {' '.join(step)}", flush=True)
        started = time.monotonic()
        proc = subprocess.run(step, cwd=folder, capture_output=True, text=True)
        print(f"dolos install: exit {proc.returncode} after {time.monotonic() - started:.0f} s",
              flush=True)
        if proc.returncode != 0:
            return f"{' '.join(step)} exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    if not os.path.exists(marker):
        return f"installed, but {marker} was not built"
    return None


def run_dolos(folder, corpus, labels, options):
    groups = {}
    for sid, language, path in submission_files(corpus, labels):
        groups.setdefault(language, []).append(path)
    starters = {"cpp": os.path.join(ROOT, "exercises", "backprop", "starter", "solution.cpp"),
                "python": os.path.join(ROOT, "exercises", "backprop", "starter", "main.py")}
    job = {"options": options,
           "groups": [{"language": lang, "files": files, "ignore": starters[lang]}
                      for lang, files in sorted(groups.items())]}
    job_file = os.path.join(corpus, "dolos-job.json")
    with open(job_file, "w") as f:
        json.dump(job, f)
    script = os.path.join(folder, "run-dolos.mjs")
    with open(script, "w") as f:
        f.write(DOLOS_SCRIPT)
    started = time.monotonic()
    proc = subprocess.run(["node", script, job_file], cwd=folder, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        return None, elapsed, proc.stderr[-4000:]
    return [(id_of(a), id_of(b), s) for a, b, s in json.loads(proc.stdout)], elapsed, proc.stderr


def at_threshold(labels, scored, threshold):
    return evaluate.evaluate(labels, [(a, b) for a, b, s in scored if s >= threshold])


def best_threshold(labels, scored):
    """The threshold with the best F1 for these answers (ties: the higher precision), found in
    one sweep down the pairs sorted by score."""
    truth = evaluate.copy_pairs(labels)
    ranked = sorted(((s, tuple(sorted((a, b)))) for a, b, s in scored), reverse=True)
    best, tp = None, 0
    for i, (score, pair) in enumerate(ranked):
        tp += pair in truth
        if i + 1 < len(ranked) and ranked[i + 1][0] == score:
            continue  # a threshold takes every pair of equal score
        precision, recall = tp / (i + 1), tp / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if best is None or (f1, precision) > best[0]:
            best = ((f1, precision), score)
    if best is None:
        return 1.0, at_threshold(labels, scored, 1.0)
    return best[1], at_threshold(labels, scored, best[1])


def line(name, r, seconds, note=""):
    print(f"  {name:<44} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
          f"(flagged {r['flagged']}, wrong {r['false_positives']}, missed "
          f"{r['false_negatives']}, look-alikes {r['alike_flagged']})  {seconds:.2f} s {note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grader", default=os.path.join(ROOT, "build", "bin", "grader"))
    parser.add_argument("--seed", type=int, default=2026, help="corpus seed (the tests use 1)")
    parser.add_argument("--per-language", type=int, default=150)
    parser.add_argument("--families", type=int, default=25)
    parser.add_argument("--alike", type=int, default=15)
    parser.add_argument("--timing-size", type=int, default=1000)
    parser.add_argument("--dolos-dir",
                        default=os.path.join(tempfile.gettempdir(), "grader-bench-dolos"))
    parser.add_argument("--no-dolos", action="store_true")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="grader-similarity-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        labels = make_corpus.make_corpus(args.seed, corpus, args.per_language, args.families,
                                         args.alike)
        copies = evaluate.copy_pairs(labels)
        print(f"corpus: seed {args.seed}, {len(labels['submissions'])} submissions (C++ and "
              f"Python), {len(labels['families'])} copy families = {len(copies)} copy pairs, "
              f"{len(labels['alike'])} planted look-alike pairs")
        report, seconds = run_grader(args.grader, corpus)
        threshold = report["similarity"]["threshold"]
        ours = evaluate.evaluate(labels, evaluate.grader_pairs(report))
        print("results:")
        line(f"grader similarity (threshold {threshold})", ours, seconds)

        if not args.no_dolos:
            failure = install_dolos(args.dolos_dir)
            if failure:
                print(f"  Dolos could not be installed in {args.dolos_dir}:\n{failure}")
            else:
                share = report["similarity"]["boilerplate_share"]
                configs = [
                    ("Dolos defaults (k=23, w=17)", {}),
                    (f"Dolos, maxFingerprintPercentage {share}", {"maxFingerprintPercentage": share}),
                    (f"Dolos, k=10, w=4, maxFingerprintPercentage {share}",
                     {"kgramLength": 10, "kgramsInWindow": 4, "maxFingerprintPercentage": share}),
                ]
                for label, options in configs:
                    scored, dsec, err = run_dolos(args.dolos_dir, corpus, labels, options)
                    if scored is None:
                        print(f"  {label}: failed:\n{err}")
                        continue
                    print(f"  {label}:")
                    line(f"  threshold {threshold} (as the grader)",
                         at_threshold(labels, scored, threshold), dsec)
                    t, best = best_threshold(labels, scored)
                    line(f"  best threshold {t:.3f}", best, dsec, "(chosen on the answers)")

        # Timing: a class of at least --timing-size submissions, half in each language.
        big = os.path.join(work, "big")
        families = max(1, args.timing_size // 40)
        independent = args.timing_size // 2 - 10 - families
        for _ in range(4):
            sizes = make_corpus.make_corpus(args.seed + 1, big, independent, families, 5)
            n = len(sizes["submissions"])
            if n >= args.timing_size:
                break
            independent += (args.timing_size - n + 1) // 2
        _, seconds = run_grader(args.grader, big)
        big_report, seconds2 = run_grader(args.grader, big)
        r = evaluate.evaluate(sizes, evaluate.grader_pairs(big_report))
        print(f"timing: grader similarity on {n} submissions: {seconds:.2f} s, then {seconds2:.2f} s "
              f"(precision {r['precision']:.3f}, recall {r['recall']:.3f}); {os.cpu_count()} cores")
        if not args.no_dolos and not install_dolos(args.dolos_dir):
            scored, dsec, _ = run_dolos(args.dolos_dir, big, sizes, {})
            if scored is not None:
                print(f"timing: Dolos (defaults) on the same {n} submissions: {dsec:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
