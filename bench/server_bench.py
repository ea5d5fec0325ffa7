#!/usr/bin/env python3
"""Load on `grader serve`, beside `grader batch` on the same class: prints figures, never fails.

Generates a class of N distinct submissions (tests/scale/classgen.py), grades it once with
`grader batch -j W`, then starts `grader serve --workers W` on a free loopback port and sends the
same N submissions from C concurrent clients (each uploads its share one after another and polls
until each result is in). Prints the throughput, the p50/p99 latency from upload to stored
result, the server's resident memory after start, at the peak and at the end, and the ratio of
the two grading rates. Both runs start from a cache holding only the prepared exercises, so no
result is reused. Loopback only; every loop is bounded.

    bench/server_bench.py [--grader build/bin/grader] [-n 500] [--clients 50] [--workers W]
"""

import argparse
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
sys.path.insert(0, str(ROOT / "tests" / "server"))
import classgen  # noqa: E402
from server_client import Server, environment, rss_kib  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def submission_files(path):
    if path.is_file():
        return [(path.name, path.read_bytes())]
    return [(p.relative_to(path).as_posix(), p.read_bytes())
            for p in sorted(path.rglob("*")) if p.is_file()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", default=str(ROOT / "build" / "bin" / "grader"))
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout-s", type=int, default=3600, help="bound on the whole load run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        klass = tmp / "class"
        classgen.make_class(klass, args.n, ROOT)
        paths = sorted(klass.iterdir())
        prepared = tmp / "cache-prepared"
        for exercise in ("backprop", "backprop-network", "backprop-training"):
            subprocess.run([args.grader, "cases", "--exercise", exercise, "--exercises",
                            str(ROOT / "exercises"), "--cache-dir", str(prepared)],
                           capture_output=True, check=True, timeout=900)

        # grader batch on the same class.
        batch_cache = tmp / "cache-batch"
        shutil.copytree(prepared, batch_cache)
        started = time.time()
        run = subprocess.run([args.grader, "batch", str(klass), "--exercise", "backprop",
                              "--exercises", str(ROOT / "exercises"), "-j", str(args.workers),
                              "--cache-dir", str(batch_cache), "--quiet", "--color", "never"],
                             capture_output=True, text=True, timeout=args.timeout_s)
        batch_s = time.time() - started
        print(f"grader batch -j {args.workers}: {len(paths)} submissions in {batch_s:.1f} s "
              f"({len(paths) / batch_s:.1f}/s), exit {run.returncode}")

        # grader serve under load.
        serve_cache = tmp / "cache-serve"
        shutil.copytree(prepared, serve_cache)
        server = Server(args.grader, tmp / "data",
                        ["--workers", str(args.workers), "--exercises", str(ROOT / "exercises"),
                         "--cache-dir", str(serve_cache), "--per-minute", "0"],
                        env=environment())
        roster = tmp / "class.csv"
        roster.write_text("id,name,email\n" + "".join(f"c{i:03d},,\n" for i in range(args.clients)))
        tokens = subprocess.run([args.grader, "token", "--roster", str(roster), "--data",
                                 server.data], capture_output=True, text=True, check=True,
                                timeout=60).stdout.strip().splitlines()[1:]
        tokens = [line.split(",")[1] for line in tokens]
        rss_start = rss_kib(server.proc.pid)
        rss_peak = [rss_start]
        latencies = []
        errors = []
        lock = threading.Lock()
        deadline = time.time() + args.timeout_s

        def client(k):
            for i in range(k, len(paths), args.clients):
                if time.time() > deadline:
                    return
                t0 = time.time()
                try:
                    status, body = server.submit(tokens[k], "backprop",
                                                 submission_files(paths[i]))
                except OSError as e:
                    with lock:
                        errors.append(f"{paths[i].name}: upload: {e!r}")
                    continue
                if status != 202:
                    with lock:
                        errors.append(f"{paths[i].name}: {status} {body}")
                    continue
                try:
                    server.wait_done(tokens[k], body["id"], timeout=max(1, deadline - time.time()))
                except (RuntimeError, OSError) as e:
                    with lock:
                        errors.append(str(e))
                    continue
                with lock:
                    latencies.append(time.time() - t0)

        def sample():
            while not stop.is_set():
                rss_peak.append(rss_kib(server.proc.pid))
                stop.wait(0.5)

        stop = threading.Event()
        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.time()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        serve_s = time.time() - started
        stop.set()
        sampler.join()
        rss_end = rss_kib(server.proc.pid)
        server.stop()

        done = len(latencies)
        print(f"grader serve --workers {args.workers}, {args.clients} clients: {done} of "
              f"{len(paths)} submissions graded in {serve_s:.1f} s ({done / serve_s:.1f}/s)")
        if latencies:
            print(f"latency upload -> result: p50 {percentile(latencies, 50):.2f} s, "
                  f"p99 {percentile(latencies, 99):.2f} s, max {max(latencies):.2f} s")
        print(f"server RSS: {rss_start / 1024:.1f} MiB after start, {max(rss_peak) / 1024:.1f} MiB "
              f"peak, {rss_end / 1024:.1f} MiB at the end")
        if done:
            print(f"grading rate, batch / serve: {(len(paths) / batch_s) / (done / serve_s):.2f}x "
                  f"(target: at most 1.2x)")
        print(f"client errors: {len(errors)}")
        for e in errors[:10]:
            print("error:", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
