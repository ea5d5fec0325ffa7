#!/usr/bin/env python3
"""End-to-end check of `grader similarity` on a generated corpus (make_corpus.py).

Runs the real binary on a corpus of the test seed and checks that precision and recall reach
their floors, that no planted look-alike pair is flagged, that the report validates against the
schema's `similarity` section and that every match names lines that exist in both files. Then
`--format csv html` and a few edge cases: an empty folder, hostile files, a bad threshold.
Prints FAIL: lines on failure (CTest's FAIL_REGULAR_EXPRESSION) and exits non-zero.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))

import evaluate  # noqa: E402
import make_corpus  # noqa: E402

TEST_SEED = 1  # the bench uses another seed: the floors below were not tuned to its corpus
MIN_PRECISION = 0.90
MIN_RECALL = 0.85

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAIL: {message}")


def run(grader, root, *args):
    cmd = [grader, "similarity", *args, "--exercises", os.path.join(root, "exercises")]
    if "--exercise" not in args:
        cmd += ["--exercise", "backprop"]  # the corpus is of backprop; other exercises may exist
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300)


def line_count(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n") + 1


def validate_schema(root, report):
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        print("note: python3-jsonschema missing, schema not validated")
        return
    import jsonschema
    with open(os.path.join(root, "grader", "schema", "report.schema.json")) as f:
        schema = json.load(f)
    try:
        jsonschema.validate(report, schema)
    except jsonschema.ValidationError as e:
        check(False, f"report does not validate: {e.message} at {list(e.absolute_path)}")


def check_corpus(grader, root, work):
    corpus = os.path.join(work, "corpus")
    labels = make_corpus.make_corpus(TEST_SEED, corpus, 60, 10, 6)
    report_file = os.path.join(work, "report.json")
    out_dir = os.path.join(work, "out")
    proc = run(grader, root, os.path.join(corpus, "submissions"), "--report", report_file,
               "--format", "csv", "--format", "html", "--report-dir", out_dir)
    check(proc.returncode == 0, f"grader similarity exited {proc.returncode}: {proc.stderr}")
    if proc.returncode != 0:
        return
    with open(report_file) as f:
        report = json.load(f)
    validate_schema(root, report)
    sim = report["similarity"]
    check(sim["compared"] == len(labels["submissions"]),
          f"compared {sim['compared']} of {len(labels['submissions'])}")
    result = evaluate.evaluate(labels, evaluate.grader_pairs(report))
    print(f"corpus seed {TEST_SEED}: {len(labels['submissions'])} submissions, "
          f"{len(evaluate.copy_pairs(labels))} copy pairs; flagged {result['flagged']}: "
          f"precision {result['precision']:.3f}, recall {result['recall']:.3f}, "
          f"look-alikes flagged {result['alike_flagged']}")
    check(result["precision"] >= MIN_PRECISION,
          f"precision {result['precision']:.3f} < {MIN_PRECISION}: {result['wrong']}")
    check(result["recall"] >= MIN_RECALL,
          f"recall {result['recall']:.3f} < {MIN_RECALL}: missed {result['missed']}")
    check(result["alike_flagged"] == 0, "a planted look-alike pair was flagged")

    languages = labels["submissions"]
    subs = os.path.join(corpus, "submissions")
    for pair in sim["pairs"]:
        check(languages[pair["a"]] == languages[pair["b"]] == pair["language"],
              f"pair across languages: {pair['a']} {pair['b']}")
        check(pair["a"] < pair["b"], f"pair not in id order: {pair['a']} {pair['b']}")
        mean = 2 * pair["shared"] / (pair["fingerprints_a"] + pair["fingerprints_b"])
        check(0 < pair["score"] <= 1 and abs(pair["score"] - mean) < 1e-12,
              f"bad score in {pair}")
        check(pair["matches"], f"no matches for {pair['a']} {pair['b']}")
        for match in pair["matches"]:
            for side in ("a", "b"):
                rng = match[side]
                sid = pair[side]
                path = (os.path.join(subs, sid, rng["file"]) if languages[sid] == "cpp"
                        else os.path.join(subs, sid + ".py"))
                check(1 <= rng["first_line"] <= rng["last_line"] <= line_count(path),
                      f"{sid}: lines {rng} outside {path}")
    scores = [p["score"] for p in sim["pairs"]]
    check(scores == sorted(scores, reverse=True), "pairs not ranked by score")

    with open(os.path.join(out_dir, "similarity.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == len(sim["pairs"]), "similarity.csv rows differ from the report's pairs")
    with open(os.path.join(out_dir, "similarity.html")) as f:
        html = f.read()
    check('id="similarity"' in html and "<mark" in html, "similarity.html lacks the highlighted pairs")
    check("<script" not in html, "similarity.html holds a script")


def check_edges(grader, root, work):
    empty = os.path.join(work, "empty")
    os.makedirs(empty)
    proc = run(grader, root, empty)
    check(proc.returncode == 0 and "0 submissions compared" in proc.stdout,
          f"empty folder: exit {proc.returncode}, {proc.stdout!r} {proc.stderr!r}")

    hostile = os.path.join(work, "hostile")
    os.makedirs(os.path.join(hostile, "junk"))
    with open(os.path.join(hostile, "junk", "main.cpp"), "wb") as f:
        f.write(b'int main() { /* never closed "\n R"x( ' + bytes(range(1, 256)) * 50)
    with open(os.path.join(hostile, "open.py"), "w") as f:
        f.write("def f(:\n    '''never closed\n" + "(" * 5000 + "\n" + " " * 3000 + "x\n")
    with open(os.path.join(hostile, "big.py"), "w") as f:
        f.write("x = 1\n" * 400000)  # over the size a submission may have: skipped, not read
    os.makedirs(os.path.join(hostile, "nothing"))
    proc = run(grader, root, hostile)
    check(proc.returncode == 0, f"hostile folder: exit {proc.returncode}: {proc.stderr}")
    check("not compared: nothing" in proc.stdout, f"empty submission not listed: {proc.stdout!r}")

    proc = run(grader, root, hostile, "--threshold", "1.5")
    check(proc.returncode == 2 and proc.stderr.startswith("grader: error: "),
          f"--threshold 1.5: exit {proc.returncode}, {proc.stderr!r}")
    proc = run(grader, root, hostile, "--format", "pdf", "--report-dir", os.path.join(work, "x"))
    check(proc.returncode == 2 and "\"pdf\"" in proc.stderr,
          f"--format pdf: exit {proc.returncode}, {proc.stderr!r}")
    proc = run(grader, root, os.path.join(work, "missing"))
    check(proc.returncode == 2 and proc.stderr.startswith("grader: error: "),
          f"missing folder: exit {proc.returncode}, {proc.stderr!r}")
    proc = run(grader, root, hostile, "--exercise", "no-such-exercise")
    check(proc.returncode == 3 and "no-such-exercise" in proc.stderr,
          f"unknown exercise: exit {proc.returncode}, {proc.stderr!r}")


def check_batch(grader, root, work):
    """batch --similarity: grades a small class and adds the similarity section everywhere."""
    corpus = os.path.join(work, "small")
    labels = make_corpus.make_corpus(TEST_SEED + 100, corpus, 3, 1, 0)
    report_file = os.path.join(work, "batch.json")
    out_dir = os.path.join(work, "batch-out")
    cmd = [grader, "batch", os.path.join(corpus, "submissions"), "--similarity", "-j", "2",
           "--exercises", os.path.join(root, "exercises"), "--exercise", "backprop",
           "--report", report_file,
           "--format", "csv", "--format", "html", "--report-dir", out_dir]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                          timeout=500)
    check(proc.returncode in (0, 1), f"batch --similarity exited {proc.returncode}: {proc.stderr}")
    if proc.returncode not in (0, 1):
        return
    check("similarity:" in proc.stdout, f"no similarity summary on stdout: {proc.stdout!r}")
    with open(report_file) as f:
        report = json.load(f)
    validate_schema(root, report)
    check(len(report["submissions"]) == len(labels["submissions"]), "not every submission graded")
    check(all(s["status"] != "internal_error" for s in report["submissions"]), "internal error")
    flagged = set(evaluate.grader_pairs(report))
    truth = evaluate.copy_pairs(labels)
    check(truth <= flagged, f"batch --similarity missed copies: {truth - flagged}")
    with open(os.path.join(out_dir, "index.html")) as f:
        html = f.read()
    check('<section id="similarity">' in html and "<mark" in html,
          "index.html lacks the similarity section")
    check(os.path.exists(os.path.join(out_dir, "similarity.csv")), "no similarity.csv")
    check(os.path.exists(os.path.join(out_dir, "grades.csv")), "no grades.csv")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--batch", action="store_true", help="check batch --similarity only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grader-similarity-") as work:
        if args.batch:
            check_batch(args.grader, args.root, work)
        else:
            check_corpus(args.grader, args.root, work)
            check_edges(args.grader, args.root, work)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("similarity: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
