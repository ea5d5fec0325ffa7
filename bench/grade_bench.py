#!/usr/bin/env python3
"""Grading throughput and latency, side by side with bare compiles and a GoogleTest grader.

Prints figures and ratios against the targets of docs/performance.md; never fails (exit 0 even
when a target is missed or a peer cannot be built). Needs the real sandbox (root or user
namespaces), g++, python3 and libgtest-dev.

    bench/grade_bench.py [--grader build/bin/grader] [--sizes 20,200] [--budget-s 900] [--reps 3]
                         [--class-reps 3]

Every run uses its own cache folder: "first" runs start from a cache that holds only the
prepared exercise, with every mistake model run (unless said otherwise), "cached" runs from a
full one.
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "scale"))
import classgen  # noqa: E402

# The grader's g++ flags (grader/src/toolchain_gxx.cpp), for the bare baseline.
CXX = "/usr/bin/g++"
FLAGS = ["-std=c++17", "-O2", "-ffp-contract=off", "-fno-fast-math", "-pipe"]
PYTHON = "/usr/bin/python3"


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def timed(argv, peak=False, **kw):
    """Runs argv; returns (seconds, completed process, peak RSS KiB of the process itself)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    hwm = [0]
    if peak:
        def poll():
            status = pathlib.Path(f"/proc/{proc.pid}/status")
            while proc.poll() is None:
                try:
                    for line in status.read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            hwm[0] = max(hwm[0], int(line.split()[1]))
                except (OSError, ValueError):
                    pass
                time.sleep(0.05)
        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if peak:
        thread.join()
    return seconds, subprocess.CompletedProcess(argv, proc.returncode, out, err), hwm[0]


def median(values):
    return statistics.median(values) if values else float("nan")


def seed_cache(full_cache, target):
    """A cache holding only the prepared exercise of `full_cache` (no results)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(full_cache, target)
    for results in target.glob("v*/*/results"):
        shutil.rmtree(results)


def prepared_entry(cache):
    entries = sorted(cache.glob("v*/*/prepared.json"))
    return json.loads(entries[0].read_text()) if entries else None


def write_cases_file(prepared, path):
    """The harness protocol's cases file (docs/protocols.md section 2) for every graded case."""
    lines = []
    for index, case in enumerate(prepared["cases"]):
        function = case["id"].split("/")[0]
        vis = "v" if case["visibility"] == "visible" else "h"
        # The prepared entry keeps each value as KIND:WIRE (the protocol's kind letter and text).
        args = [token.split(":", 1) for token in case["args"].split()]
        kinds = "".join(kind for kind, _ in args) + ":" + case["expected"].split(":", 1)[0]
        lines.append(f"{index} {function} {vis} {kinds} " + " ".join(text for _, text in args))
    path.write_text("\n".join(lines) + "\n")


class Bench:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.grader = str(pathlib.Path(args.grader).resolve())
        self.rows = []
        self.targets = []
        self.counter = 0

    def say(self, text):
        print(text, flush=True)

    def row(self, what, seconds, note=""):
        self.rows.append((what, seconds, note))
        self.say(f"  {what:<62} {seconds:8.3f} s  {note}")

    def target(self, what, ratio, goal, met, unit="x"):
        verdict = "MET" if met else "NOT MET"
        self.targets.append((what, ratio, goal, verdict, unit))
        self.say(f"  => {what}: {ratio:.2f}{unit} (target {goal}) {verdict}")

    def fresh_copy(self, source, language):
        """A copy of a submission with unique content, so that no cache can answer it."""
        self.counter += 1
        folder = self.tmp / "fresh" / f"sub-{self.counter}"
        shutil.copytree(source, folder)
        main = folder / ("main.cpp" if language == "cpp" else "main.py")
        comment = "//" if language == "cpp" else "#"
        main.write_text(main.read_text() + f"\n{comment} run {self.counter} {time.time()}\n")
        return folder

    def grade(self, path, cache, extra=()):
        seconds, proc, _ = timed([self.grader, "grade", str(path), "--cache-dir", str(cache),
                                  "--color", "never", *extra])
        if proc.returncode not in (0, 1):
            self.say(f"  (grade exited {proc.returncode}: {proc.stderr.strip()[:300]})")
        return seconds

    def batch(self, folder, cache, jobs, peak=False):
        report = self.tmp / "report.json"
        seconds, proc, hwm = timed([self.grader, "batch", str(folder), "-j", str(jobs),
                                    "--cache-dir", str(cache), "--report", str(report),
                                    "--quiet", "--color", "never"], peak=peak)
        if proc.returncode not in (0, 1):
            self.say(f"  (batch exited {proc.returncode}: {proc.stderr.strip()[:300]})")
        cached = 0
        if report.exists():
            cached = sum(1 for s in json.loads(report.read_text())["submissions"]
                         if s.get("cached"))
            report.unlink()
        return seconds, hwm, cached


def bare_setup(bench, prepared):
    """Compiles the harness once, as the grader does, and writes the cases file."""
    bare = bench.tmp / "bare"
    (bare / "include").mkdir(parents=True)
    shutil.copy(ROOT / "exercises/backprop/backprop.hpp", bare / "include")
    # The grader's harnesses as this exercise uses them (harness.cpp with its bindings).
    run([bench.grader, "harness", "--output", str(bare / "harness")], check=True)
    run([CXX, *FLAGS, f"-I{bare / 'include'}", "-c", str(bare / "harness" / "harness.cpp"),
         "-o", str(bare / "harness.o")], check=True)
    write_cases_file(prepared, bare / "cases.txt")
    return bare


def bare_cpp(bare, source_dir, out_dir):
    """g++ (same flags) of the student's file linked with the harness object, then a direct run
    of every case with the result channel on fd 3. Returns seconds."""
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    run([CXX, *FLAGS, "-iquote", str(source_dir), f"-I{bare / 'include'}",
         "-Dmain=grader_student_main_", "-o", str(out_dir / "program"),
         str(source_dir / "main.cpp"), str(bare / "harness.o"), "-lm"])
    # The result channel on fd 3, as in the sandbox (a shell adds about a millisecond).
    subprocess.run(["/bin/sh", "-c", '"$0" "$1" 3>"$2" >/dev/null 2>&1', str(out_dir / "program"),
                    str(bare / "cases.txt"), str(out_dir / "channel")])
    return time.perf_counter() - start


# What the grader's Python launcher does in one interpreter start: the syntax check, then the
# harness as if started itself (a fresh __main__ module, as the launcher makes it). The bare
# run is the plain `python3 -I -B` of the goal: with `site`, and compiling the harness source;
# the grader's launcher starts with -S and a sys.path recorded once, and runs the harness
# compiled once (docs/protocols.md).
BARE_PY_LAUNCH = ("import sys\n"
                  "compile(open(sys.argv[2], 'rb').read(), sys.argv[2], 'exec', dont_inherit=True)\n"
                  "sys.argv = sys.argv[1:]\n"
                  "code = compile(open(sys.argv[0], 'rb').read(), sys.argv[0], 'exec')\n"
                  "main = type(sys)('__main__')\n"
                  "main.__file__ = sys.argv[0]\n"
                  "sys.modules['__main__'] = main\n"
                  "exec(code, main.__dict__)\n")


def bare_python(bare, source_dir):
    start = time.perf_counter()
    subprocess.run(["/bin/sh", "-c", '"$0" -I -B -c "$1" "$2" "$3" "$4" 3>"$5" >/dev/null 2>&1',
                    PYTHON, BARE_PY_LAUNCH, str(bare / "harness" / "harness.py"),
                    str(source_dir / "main.py"), str(bare / "cases.txt"),
                    str(bare / "py-channel")])
    return time.perf_counter() - start


def gtest_available(tmp):
    probe = tmp / "gtest-probe.cpp"
    probe.write_text("#include <gtest/gtest.h>\nTEST(A, B) { EXPECT_EQ(1, 1); }\n")
    return run([CXX, str(probe), "-lgtest", "-lgtest_main", "-pthread", "-o",
                str(tmp / "gtest-probe")]).returncode == 0


def gtest_peer(students, work, jobs, prebuilt):
    """The GoogleTest grader over `students` with `jobs` parallel workers. Returns seconds."""
    test = ROOT / "bench/gtest_peer/backprop_test.cpp"
    test_object = work / "backprop_test.o"
    work.mkdir(parents=True, exist_ok=True)
    if prebuilt and not test_object.exists():
        run([CXX, "-std=c++17", "-O2", "-c", str(test), "-o", str(test_object)], check=True)

    def one(student):
        out = work / student.name
        out.mkdir(parents=True, exist_ok=True)
        build = run([CXX, "-std=c++17", "-O2", f"-I{ROOT / 'exercises/backprop'}",
                     str(student / "main.cpp"), str(test_object if prebuilt else test),
                     "-lgtest", "-lgtest_main", "-pthread", "-o", str(out / "t")])
        if build.returncode == 0:
            run([str(out / "t"), "--gtest_brief=1"], timeout=60)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, students))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grader", default=str(ROOT / "build/bin/grader"))
    parser.add_argument("--box-bench", default=None, help="box_bench binary (default: beside grader)")
    parser.add_argument("--sizes", default="20,200", help="class sizes, comma-separated")
    parser.add_argument("--budget-s", type=float, default=900,
                        help="reduce the larger classes so the whole run fits about this long")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of single-grade timings")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--class-reps", type=int, default=3,
                        help="runs of the first batch and of the prebuilt GoogleTest peer per "
                             "class, interleaved; their medians make the class's goals")
    args = parser.parse_args()
    started = time.perf_counter()
    if not pathlib.Path(args.grader).exists():
        print(f"grade_bench: {args.grader} does not exist; build it first (nothing measured)")
        return 0

    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        bench = Bench(args, tmp)
        bench.say(f"grade_bench: grader {args.grader}, {os.cpu_count()} cores, load average "
                  f"{os.getloadavg()[0]:.1f} at start")
        one = tmp / "one"
        ids = classgen.make_class(one, 2, ROOT)
        cpp = one / next(i for i in ids if "-cpp-" in i)
        py = one / next(i for i in ids if "-python-" in i)

        # --- One submission -------------------------------------------------------------------
        bench.say("\none submission (`grader grade`, real sandbox):")
        full = tmp / "cache-full"
        first = bench.grade(bench.fresh_copy(cpp, "cpp"), full)
        bench.row("first grade, empty cache (prepares the exercise)", first)
        prepared = prepared_entry(full)
        if prepared is None:
            bench.say("  no prepared exercise in the cache: is the grader built with the cache?")
            return 0
        # Mistake models run when a task first fails; `grader kit` runs them all, so that a
        # "prepared exercise cached" run below starts from a complete answer key and catalogue.
        run([bench.grader, "kit", "--output", str(tmp / "kit"), "--exercise", "backprop",
             "--cache-dir", str(full)], check=True)
        # Each grade beside its bare counterpart, interleaved, so that the machine's drift
        # over the minute weighs on both sides of a ratio alike.
        bare = bare_setup(bench, prepared)
        warm, bare_times = [], []
        for i in range(args.reps):
            warm.append(bench.grade(bench.fresh_copy(cpp, "cpp"), full))
            bare_times.append(bare_cpp(bare, bench.fresh_copy(cpp, "cpp"), tmp / f"bare-{i}"))
        bench.row("grade C++, prepared exercise cached (median)", median(warm))
        repeat = bench.fresh_copy(cpp, "cpp")
        bench.grade(repeat, full)
        cached = [bench.grade(repeat, full) for _ in range(args.reps)]
        bench.row("grade C++, result cached (median)", median(cached))
        bench.row("bare g++ compile + link harness.o + run, no sandbox (median)",
                  median(bare_times))
        py_warm, py_bare = [], []
        for _ in range(max(args.reps, 21)):  # 20 ms each: more runs for a steadier median
            py_warm.append(bench.grade(bench.fresh_copy(py, "python"), full))
            py_bare.append(bare_python(bare, bench.fresh_copy(py, "python")))
        bench.row("grade Python, prepared exercise cached (median)", median(py_warm))
        bench.row("bare python3 syntax check + harness run (one start), no sandbox (median)",
                  median(py_bare))
        ratio = median(warm) / median(bare_times)
        # The bare compile links with GNU ld, as a plain g++ does.
        bench.target("grade C++ / bare g++ -O2 compile + GNU ld link + run", ratio, "<= 1.0",
                     ratio <= 1.0)
        ratio = median(py_warm) / median(py_bare)
        bench.target("grade Python / bare interpreter doing the same work", ratio, "<= 1.3",
                     ratio <= 1.3)
        bench.target("first grade on an empty cache", first, "<= 2 s", first <= 2.0, " s")
        ratio = first / median(cached)
        bench.target("first grade (with prepare) / cached regrade", ratio, ">= 20", ratio >= 20)
        ratio = median(warm) / median(cached)
        bench.target("first grade (prepared cached) / cached regrade", ratio, ">= 20", ratio >= 20)
        bench.say(f"  (the exercise cache saves {first - median(warm):.1f} s per `grade`)")

        # --- Classes --------------------------------------------------------------------------
        have_gtest = gtest_available(tmp)
        if not have_gtest:
            bench.say("\nGoogleTest peer skipped: g++ ... -lgtest fails (install libgtest-dev)")
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        per_submission = None
        for n in sizes:
            remaining = args.budget_s - (time.perf_counter() - started)
            if per_submission is not None and per_submission * n > remaining:
                reduced = max(10, int(remaining / per_submission) // 10 * 10)
                if reduced < n:
                    bench.say(f"\nN = {n} would take about {per_submission * n:.0f} s on this "
                              f"machine; reduced to N = {reduced} to fit --budget-s "
                              f"{args.budget_s:.0f}")
                    n = reduced
            class_started = time.perf_counter()
            klass = tmp / f"class-{n}"
            ids = classgen.make_class(klass, n, ROOT)
            cpp_only = tmp / f"class-{n}-cpp"
            cpp_only.mkdir()
            for i in ids:
                if "-cpp-" in i:
                    shutil.copytree(klass / i, cpp_only / i)
            n_cpp = len(list(cpp_only.iterdir()))
            bench.say(f"\nclass of N = {n} ({n_cpp} C++, {n - n_cpp} Python; correct and "
                      f"mistaken, {len(classgen.VARIANTS)} variants):")
            empty_cache = tmp / f"cache-{n}-empty"
            t0, _, _ = bench.batch(klass, empty_cache, args.jobs)
            bench.row(f"batch -j {args.jobs}, first, empty cache (prepares the exercise)", t0)
            cache = tmp / f"cache-{n}"
            seed_cache(full, cache)
            t1, _, _ = bench.batch(klass, cache, 1)
            bench.row(f"batch -j 1, first (prepared exercise cached)", t1)
            seed_cache(full, cache)
            t2, hwm, _ = bench.batch(klass, cache, args.jobs, peak=True)
            bench.row(f"batch -j {args.jobs}, first (prepared exercise cached)", t2,
                      f"grader peak RSS {hwm / 1024:.1f} MiB")
            tc, _, n_cached = bench.batch(klass, cache, args.jobs)
            bench.row(f"batch -j {args.jobs}, cached regrade", tc, f"{n_cached}/{n} cached")
            bench.target(f"N={n}: batch -j 1 / batch -j {args.jobs}", t1 / t2, "> 1 (2 cores)",
                         t1 / t2 > 1)
            bench.target(f"N={n}: first batch / cached regrade", t2 / tc, ">= 20", t2 / tc >= 20)
            if have_gtest and n_cpp:
                cpp_cache = tmp / f"cache-{n}-cpp"
                seed_cache(full, cpp_cache)
                tg, _, _ = bench.batch(cpp_only, cpp_cache, args.jobs)
                bench.row(f"batch -j {args.jobs} of the {n_cpp} C++ submissions", tg)
                work = tmp / f"gtest-{n}"
                per_student = gtest_peer(sorted(cpp_only.iterdir()), work / "full", args.jobs,
                                         prebuilt=False)
                bench.row(f"GoogleTest peer, test compiled per student, {args.jobs} workers",
                          per_student)
                prebuilt = gtest_peer(sorted(cpp_only.iterdir()), work / "pre", args.jobs,
                                      prebuilt=True)
                bench.row(f"GoogleTest peer, test object prebuilt, {args.jobs} workers",
                          prebuilt, "(test.o build not counted)")
                bench.target(f"N={n}: grader batch / prebuilt GoogleTest peer", tg / prebuilt,
                             "<= 1.25", tg / prebuilt <= 1.25)
                bench.target(f"N={n}: per-student GoogleTest peer / grader batch",
                             per_student / tg, ">= 4", per_student / tg >= 4)
                # The whole class from an empty cache against the peers on its C++ half only,
                # as medians: the first batch and the prebuilt peer run --class-reps times each,
                # interleaved (one run of each moved by 5-10 % on this kind of machine).
                t0_runs, prebuilt_runs = [t0], [prebuilt]
                for rep in range(1, args.class_reps):
                    t0_runs.append(bench.batch(klass, tmp / f"cache-{n}-empty-{rep}",
                                               args.jobs)[0])
                    prebuilt_runs.append(gtest_peer(sorted(cpp_only.iterdir()), work / "pre",
                                                    args.jobs, prebuilt=True))
                t0, prebuilt = median(t0_runs), median(prebuilt_runs)
                if args.class_reps > 1:
                    spread = (lambda runs: f"(median of {len(runs)}: "
                              + ", ".join(f"{x:.2f}" for x in sorted(runs)) + ")")
                    bench.row(f"batch -j {args.jobs}, first, empty cache", t0, spread(t0_runs))
                    bench.row(f"GoogleTest peer, test object prebuilt, {args.jobs} workers",
                              prebuilt, spread(prebuilt_runs))
                # The goal is set for a class of 200: in a small class the exercise's
                # preparation (about 0.7 s) outweighs the grading, so there it is a figure only.
                if n >= 200:
                    bench.target(f"N={n}: prebuilt GoogleTest peer (C++ half) / first batch of "
                                 f"the class, empty cache", prebuilt / t0, ">= 1.5",
                                 prebuilt / t0 >= 1.5)
                    bench.target(f"N={n}: per-student GoogleTest peer (C++ half) / first batch "
                                 f"of the class, empty cache", per_student / t0, ">= 8",
                                 per_student / t0 >= 8)
                else:
                    bench.say(f"  N={n}: prebuilt GoogleTest peer (C++ half) / first batch of the "
                              f"class, empty cache: {prebuilt / t0:.2f}x; per-student peer: "
                              f"{per_student / t0:.2f}x (the goals, 1.5x and 8x, are set for "
                              f"N = 200)")
            per_submission = (time.perf_counter() - class_started) / n

        # --- The sandbox per run --------------------------------------------------------------
        box_bench = pathlib.Path(args.box_bench) if args.box_bench else \
            pathlib.Path(args.grader).parent / "box_bench"
        bench.say("\nsandbox cost per run (grader-box vs bare exec):")
        if box_bench.exists():
            proc = run([str(box_bench), "--runs", "20"], timeout=600)
            bench.say("\n".join("  " + line for line in (proc.stdout + proc.stderr).splitlines()))
        else:
            bench.say(f"  {box_bench} not built: cmake --build build --target box_bench")

        bench.say(f"\nsummary of targets (load average now {os.getloadavg()[0]:.1f}; "
                  f"{time.perf_counter() - started:.0f} s in all):")
        for what, ratio, goal, verdict, unit in bench.targets:
            bench.say(f"  {verdict:<8} {what}: {ratio:.2f}{unit} (target {goal})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # a benchmark prints; it never fails the build
        print(f"grade_bench: stopped early: {error!r}")
        sys.exit(0)
