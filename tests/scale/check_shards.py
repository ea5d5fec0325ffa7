#!/usr/bin/env python3
"""Spread over machines: three `grader batch --shard K/3` processes (run side by side on this
machine) and `grader merge` give the report of the unsharded batch, ignoring durations and
cached flags; partial reports record their shard and follow the schema; merge rejects missing,
repeated, mixed and foreign parts with exit 2. No timing assertions. Ends with
'N passed, N failed'."""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import classgen  # noqa: E402


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402


def load(path):
    return json.loads(pathlib.Path(path).read_text())


def essence(report):
    subs = [{k: v for k, v in s.items() if k not in ("duration_ms", "cached")}
            for s in report["submissions"]]
    head = {k: v for k, v in report.items() if k not in ("submissions", "shard")}
    return head, subs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker(verbose=True)
    try:
        import jsonschema
        schema = json.loads((root / "grader/schema/report.schema.json").read_text())
    except ImportError:
        jsonschema = None
        print("note: python3-jsonschema missing; schema checks skipped")

    with tempfile.TemporaryDirectory(prefix="grader-shards-") as tmp:
        tmp = pathlib.Path(tmp)
        klass = tmp / "class"
        ids = classgen.make_class(klass, 10, root)
        # A duplicate: graded once in the unsharded batch, maybe in another shard when sharded.
        shutil.copytree(klass / ids[3], klass / "zz-twin")
        ids.append("zz-twin")

        def grader(*argv, env=None, timeout=900):
            return subprocess.run([args.grader, *argv], capture_output=True, text=True,
                                  timeout=timeout, env=env)

        # The whole batch, unsharded.
        whole_cache = tmp / "cache-whole"
        whole = tmp / "whole.json"
        run = grader("batch", str(klass), "-j", "2", "--cache-dir", str(whole_cache),
                     "--report", str(whole), "--quiet")
        c.check(run.returncode == 0, f"unsharded batch exits 0: {run.returncode}\n{run.stderr}")
        if not whole.exists():
            return finish(c)

        # The shards share a cache holding the prepared exercise but no results, so that each
        # really grades its part.
        shard_cache = tmp / "cache-shards"
        shutil.copytree(whole_cache, shard_cache)
        for entry in shard_cache.glob("v*/*/results"):
            shutil.rmtree(entry)
        parts = [tmp / f"part-{k}.json" for k in (1, 2, 3)]
        procs = [subprocess.Popen([args.grader, "batch", str(klass), "--shard", f"{k}/3", "-j",
                                   "1", "--cache-dir", str(shard_cache), "--report",
                                   str(parts[k - 1]), "--quiet"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for k in (1, 2, 3)]
        for k, proc in enumerate(procs, 1):
            out, _ = proc.communicate(timeout=900)
            c.check(proc.returncode == 0, f"shard {k}/3 exits 0: {proc.returncode}\n{out}")
        if not all(p.exists() for p in parts):
            return finish(c)

        seen = []
        for k, part in enumerate(parts, 1):
            report = load(part)
            shard = report.get("shard", {})
            listed = [s["id"] for s in report["submissions"]]
            c.check(shard.get("index") == k and shard.get("count") == 3 and
                    shard.get("submissions") == listed,
                    f"part {k} records its shard: {shard}")
            c.check(not any(s.get("cached") for s in report["submissions"] if s["id"] != "zz-twin"),
                    f"part {k} graded its submissions itself")
            if jsonschema:
                try:
                    jsonschema.validate(report, schema)
                    c.check(True, f"part {k} follows the schema")
                except jsonschema.ValidationError as e:
                    c.check(False, f"part {k} follows the schema: {e.message}")
            seen += listed
        c.check(sorted(seen) == sorted(ids), f"the shards partition the class: {sorted(seen)}")

        merged = tmp / "merged.json"
        run = grader("merge", *map(str, parts), "--report", str(merged))
        c.check(run.returncode == 0, f"merge exits 0: {run.returncode}\n{run.stderr}")
        if merged.exists():
            m = load(merged)
            c.check("shard" not in m, "the merged report has no shard field")
            c.check(essence(m) == essence(load(whole)),
                    "the merged report equals the unsharded one (ignoring durations, cached)")
            if jsonschema:
                jsonschema.validate(m, schema)
                c.check(True, "the merged report follows the schema")

        # auto/N: K from the array job's environment.
        for variable, value, k in (("JOB_COMPLETION_INDEX", "1", 2),
                                   ("SLURM_ARRAY_TASK_ID", "3", 3)):
            env = {key: v for key, v in os.environ.items()
                   if key not in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID",
                                  "SLURM_ARRAY_TASK_MIN")}
            env[variable] = value
            if variable.startswith("SLURM"):
                env["SLURM_ARRAY_TASK_MIN"] = "1"
            out = tmp / f"auto-{k}.json"
            run = grader("batch", str(klass), "--shard", "auto/3", "--cache-dir", str(shard_cache),
                         "--report", str(out), "--quiet", env=env)
            c.check(run.returncode == 0 and out.exists() and
                    load(out)["shard"]["submissions"] == load(parts[k - 1])["shard"]["submissions"],
                    f"--shard auto/3 with {variable}={value} is shard {k}\n{run.stderr}")

        # Errors: exit 2 with a clear message.
        def expect_error(argv, needle, what):
            run = grader(*argv)
            c.check(run.returncode == 2 and needle in run.stderr,
                    f"{what}: exit 2 naming '{needle}' (got {run.returncode}: {run.stderr.strip()})")

        out = str(tmp / "bad.json")
        expect_error(["merge", str(parts[0]), str(parts[2]), "--report", out],
                     "shard 2 of 3 missing", "a missing shard")
        expect_error(["merge", *map(str, parts), str(parts[0]), "--report", out],
                     "is also given as", "a shard given twice")
        expect_error(["merge", *map(str, parts), str(whole), "--report", out],
                     "/shard: missing", "an unsharded report")

        def edited(name, change):
            report = load(parts[1])
            change(report)
            path = tmp / name
            path.write_text(json.dumps(report))
            return str(path)

        other_count = edited("count.json", lambda r: r["shard"].update(count=4))
        expect_error(["merge", str(parts[0]), other_count, str(parts[2]), "--report", out],
                     "/shard/count", "mixed shard counts")
        other_exercise = edited("exercise.json", lambda r: r.update(exercise="other"))
        expect_error(["merge", str(parts[0]), other_exercise, str(parts[2]), "--report", out],
                     "/exercise", "mixed exercises")
        other_hash = edited("hash.json", lambda r: r["shard"].update(exercise_hash="0" * 64))
        expect_error(["merge", str(parts[0]), other_hash, str(parts[2]), "--report", out],
                     "/shard/exercise_hash", "parts graded against different exercises")
        overlap = edited("overlap.json", lambda r: (
            r["submissions"].append(load(parts[0])["submissions"][0]),
            r["shard"]["submissions"].append(load(parts[0])["submissions"][0]["id"])))
        expect_error(["merge", str(parts[0]), overlap, str(parts[2]), "--report", out],
                     "belongs to shard 1/3", "overlapping parts")
        garbage = tmp / "garbage.json"
        garbage.write_text("{not json")
        expect_error(["merge", str(parts[0]), str(garbage), "--report", out], "garbage.json",
                     "a file that is not a report")
        expect_error(["merge", str(parts[0]), str(tmp / "absent.json"), "--report", out],
                     "absent.json", "a missing file")
        expect_error(["batch", str(klass), "--shard", "4/3"], "--shard \"4/3\"",
                     "a shard index out of range")
        env = {k: v for k, v in os.environ.items()
               if k not in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID")}
        run = grader("batch", str(klass), "--shard", "auto/3", env=env)
        c.check(run.returncode == 2 and "JOB_COMPLETION_INDEX" in run.stderr,
                f"auto/N outside an array job: exit 2 ({run.returncode}: {run.stderr.strip()})")
        c.check(not pathlib.Path(out).exists(), "no merged report after an error")
    return finish(c)


def finish(c):
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
