#!/usr/bin/env python3
"""The Slurm recipe of docs/scaling.md, run for real on a single-node cluster started here.

A private munged (its own key, socket, pid, log and seed files), a generated slurm.conf (free
TCP ports, state, spool, logs and pid files under a temporary folder, proctrack/pgid, no
systemd), then `slurmctld -D` and `slurmd -D`. In a temporary course folder laid out like the
repository (build/, docs/, exercises/, reference/, submissions/ holding a generated class):

1. the commands of the Slurm recipe, taken verbatim from docs/scaling.md (the job array of
   docs/examples/grade-array.slurm and its dependent merge), give the report of one
   `grader batch` of the same class, ignoring durations and cached flags;
2. the same with one array task cancelled mid-way (after some of its submissions are graded):
   the merge never runs, the rerun of that index alone (`sbatch --array=K`, as the document
   says) completes the class, reuses what the killed task had finished, and nothing is graded
   twice.

Every daemon started here is stopped by its pid (SIGTERM, then SIGKILL after a bounded wait);
no process of this test may remain, its ports must be free and its folder is removed. Skips
(exit 77, saying why) unless run as root with slurmctld, slurmd, munged and Slurm's client
commands installed (Debian: slurm-wlm, munge; `bash scripts/setup --tests`). Ends with
'N passed, N failed'."""

import argparse
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scale"))
import classgen  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402

SKIP = 77
SHARDS = 8  # the array of docs/examples/grade-array.slurm: --array=1-8, --shard auto/8
# Every wait of the checks ends by then, so that the cleanup (at most about 2 minutes) always
# runs within CTest's TIMEOUT (900 s): a test killed by CTest would leave its daemons behind.
BUDGET_S = 600
budget_end = time.monotonic() + BUDGET_S


def remaining(seconds):
    return max(0.0, min(seconds, budget_end - time.monotonic()))
DAEMONS = ("munged", "slurmctld", "slurmd")
CLIENTS = ("sbatch", "squeue", "sinfo", "scontrol", "scancel")

# A submission that sleeps in two of its functions: each run of the harness is stopped by the
# exercise's wall-clock limit, so it is still being graded well after its shard's other
# submissions are done. The cancelled task of part 2 is cancelled in that window.
SLOW_SUBMISSION = """# waits in forward and loss until the wall-clock limit stops the run
import math
import time


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def forward(weight, input, bias):
    time.sleep(600)
    return sig(weight * input + bias)


def loss(prediction, target):
    time.sleep(600)
    return (prediction - target) ** 2


def gradient(weight, input, bias, target):
    s = sig(weight * input + bias)
    return 2.0 * (s - target) * s * (1.0 - s) * input


def update_weight(weight, gradient, learning_rate):
    return weight - learning_rate * gradient
"""


def skip(reason):
    print(f"skip: {reason}")
    sys.exit(SKIP)


def shard_of(sid, count):
    """The shard a submission id belongs to (docs/scaling.md, "Which submissions a shard
    grades")."""
    return 1 + int.from_bytes(hashlib.sha256(sid.encode()).digest()[:8], "big") % count


def load(path):
    return json.loads(pathlib.Path(path).read_text())


def essence(report):
    subs = [{k: v for k, v in s.items() if k not in ("duration_ms", "cached")}
            for s in report["submissions"]]
    head = {k: v for k, v in report.items() if k not in ("submissions", "shard")}
    return head, subs


def free_ports(count):
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("", port))
            return True
        except OSError:
            return False


def processes_mentioning(needle):
    """Pids (not this process) whose command line or environment contains needle."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        for part in ("cmdline", "environ"):
            try:
                if needle.encode() in (entry / part).read_bytes():
                    found.append(int(entry.name))
                    break
            except OSError:
                pass
    return found


def slurm_recipe(doc):
    """The shell commands of the Slurm recipe: the first fenced block after '**Slurm**'."""
    text = doc.read_text()
    start = text.index("**Slurm**")
    match = re.search(r"```\w*\n(.*?)```", text[start:], re.S)
    return "\n".join(line.strip() for line in match.group(1).splitlines() if line.strip())


class Cluster:
    """munged, slurmctld and slurmd of our own, all files under `home`."""

    def __init__(self, home):
        self.home = home
        self.host = socket.gethostname().split(".")[0]
        self.procs = []  # (name, Popen), in start order
        self.ports = []
        self.conf = home / "slurm.conf"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
        self.env["SLURM_CONF"] = str(self.conf)

    def spawn(self, name, argv):
        log = open(self.home / "log" / f"{name}.out", "wb")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        log.close()
        self.procs.append((name, proc))
        return proc

    def start(self):
        home = self.home
        for sub in ("munge", "state", "spool", "log"):
            (home / sub).mkdir()
        # munged wants every folder above its socket searchable by all, and a private key.
        home.parent.chmod(0o755)
        home.chmod(0o755)
        (home / "munge").chmod(0o755)
        key = home / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        socket_path = home / "munge" / "munge.socket"
        self.spawn("munged", ["munged", "--foreground", f"--key-file={key}",
                              f"--socket={socket_path}",
                              f"--pid-file={home / 'munge' / 'munged.pid'}",
                              f"--log-file={home / 'munge' / 'munged.log'}",
                              f"--seed-file={home / 'munge' / 'munged.seed'}"])
        if not self.wait_for(lambda: socket_path.exists(), 30):
            return "munged did not create its socket"

        memory = 1024
        probe = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, env=self.env)
        found = re.search(r"RealMemory=(\d+)", probe.stdout)
        if found:
            memory = int(found.group(1))
        self.ports = free_ports(2)
        self.conf.write_text("\n".join([
            "ClusterName=gradertest",
            f"SlurmctldHost={self.host}(127.0.0.1)",
            f"SlurmctldPort={self.ports[0]}",
            f"SlurmdPort={self.ports[1]}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={socket_path}",
            f"StateSaveLocation={home / 'state'}",
            f"SlurmdSpoolDir={home / 'spool'}",
            f"SlurmctldPidFile={home / 'slurmctld.pid'}",
            f"SlurmdPidFile={home / 'slurmd.pid'}",
            f"SlurmctldLogFile={home / 'log' / 'slurmctld.log'}",
            f"SlurmdLogFile={home / 'log' / 'slurmd.log'}",
            "ProctrackType=proctrack/pgid",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            "SchedulerType=sched/builtin",
            # Start the next array task as soon as one ends (by default about 3 s later).
            "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0",
            "JobCompType=jobcomp/none",
            "AccountingStorageType=accounting_storage/none",
            "JobAcctGatherType=jobacct_gather/none",
            "MpiDefault=none",
            "MailProg=/bin/true",
            "ReturnToService=2",
            "KillWait=5",
            f"NodeName={self.host} NodeAddr=127.0.0.1 CPUs=2 RealMemory={memory} State=UNKNOWN",
            "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
            ""]))
        self.spawn("slurmctld", ["slurmctld", "-D", "-f", str(self.conf)])
        self.spawn("slurmd", ["slurmd", "-D", "-f", str(self.conf)])

        def idle():
            for name, proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}")
            run = self.run(["sinfo", "-h", "-n", self.host, "-o", "%t"])
            return run.stdout.strip() == "idle"
        try:
            if not self.wait_for(idle, 60):
                return "the node did not become idle within 60 s"
        except RuntimeError as e:
            return str(e)
        return None

    def run(self, argv, cwd=None, timeout=60):
        return subprocess.run(argv, capture_output=True, text=True, env=self.env, cwd=cwd,
                              timeout=timeout)

    def shell(self, script, cwd):
        return subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True,
                              text=True, env=self.env, cwd=cwd, timeout=60)

    def queued(self, job):
        """squeue's lines for a job (an array job: every task not finished)."""
        run = self.run(["squeue", "-h", "-j", str(job), "-o", "%i %T %r"])
        return run.stdout.strip().splitlines() if run.returncode == 0 else []

    def wait_gone(self, jobs, seconds):
        return self.wait_for(lambda: not any(self.queued(j) for j in jobs), seconds)

    def states(self, job):
        """{array task id or job id: (JobState, ExitCode)} from scontrol (finished jobs stay
        for MinJobAge, 300 s)."""
        run = self.run(["scontrol", "-o", "show", "job", str(job)])
        out = {}
        for line in run.stdout.splitlines():
            fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
            out[fields.get("ArrayTaskId", fields.get("JobId"))] = (fields.get("JobState"),
                                                                   fields.get("ExitCode"))
        return out

    @staticmethod
    def wait_for(condition, seconds, step=0.25):
        deadline = time.monotonic() + remaining(seconds)
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(step)
        return condition()

    def stop(self):
        """SIGTERM every daemon, newest first, then SIGKILL what is left after 20 s. Returns
        the names of those that needed SIGKILL."""
        killed = []
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
                killed.append(name)
        return killed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root).resolve()
    build = pathlib.Path(args.grader).resolve().parents[1]

    if os.geteuid() != 0:
        skip("the cluster's daemons (slurmd runs jobs as their owner) need root")
    missing = [tool for tool in DAEMONS + CLIENTS if shutil.which(tool) is None]
    if missing:
        skip(f"{', '.join(missing)} not installed (Debian packages slurm-wlm and munge: "
             "bash scripts/setup --tests)")

    c = Checker(verbose=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="grader-slurm-"))
    cluster = Cluster(tmp / "cluster")
    cluster.home.mkdir()
    try:
        run_checks(c, cluster, tmp, root, build)
    finally:
        needed_kill = cluster.stop()
        c.check(not needed_kill, f"every daemon stopped on SIGTERM (SIGKILL needed: {needed_kill})")
        c.check(all(proc.poll() is not None for _, proc in cluster.procs),
                f"every daemon started here has exited: {[n for n, _ in cluster.procs]}")
        deadline = time.monotonic() + 30
        while processes_mentioning(str(tmp)) and time.monotonic() < deadline:
            time.sleep(0.25)
        left = processes_mentioning(str(tmp))
        c.check(not left, f"no process of this test remains (pids {left})")
        for pid in left:  # ours: they name our folder; do not leave them running
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if cluster.ports:
            c.check(all(port_free(p) for p in cluster.ports),
                    f"the cluster's ports {cluster.ports} are free again")
        shutil.rmtree(tmp, ignore_errors=True)
        c.check(not tmp.exists(), f"the test's folder {tmp} is removed")
    return finish(c)


def run_checks(c, cluster, tmp, root, build):
    # The course folder: what each node of a real cluster would see (docs/scaling.md, Recipes).
    course = tmp / "course"
    course.mkdir()
    for name, target in (("build", build), ("docs", root / "docs"),
                         ("exercises", root / "exercises"), ("reference", root / "reference")):
        (course / name).symlink_to(target)
    klass = course / "submissions"
    ids = classgen.make_class(klass, 8, root)

    # The cancelled task's shard: one that holds a generated submission; the slow submission
    # gets the first name that falls into the same shard.
    by_shard = {}
    for sid in ids:
        by_shard.setdefault(shard_of(sid, SHARDS), []).append(sid)
    victim = min(by_shard, key=lambda k: (len(by_shard[k]), k))
    slow = next(f"zz-slow-{n}" for n in range(1000) if shard_of(f"zz-slow-{n}", SHARDS) == victim)
    (klass / slow).mkdir()
    (klass / slow / "main.py").write_text(SLOW_SUBMISSION)
    ids = sorted(ids + [slow])
    print(f"note: class of {len(ids)}; shard {victim}/{SHARDS} holds {by_shard[victim]} "
          f"and {slow}")

    # One batch of the whole class, from the course folder (same submission paths as the
    # array's), while the cluster starts.
    whole = tmp / "whole.json"
    whole_cache = tmp / "cache-whole"
    batch = subprocess.Popen([str(course / "build/bin/grader"), "batch", "submissions", "-j", "2",
                              "--cache-dir", str(whole_cache), "--report", str(whole), "--quiet"],
                             cwd=course, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    problem = cluster.start()
    c.check(problem is None, f"the single-node cluster starts: {problem}")
    try:
        out, _ = batch.communicate(timeout=remaining(600))
    except subprocess.TimeoutExpired:
        batch.kill()
        out, _ = batch.communicate()
    c.check(batch.returncode == 0 and whole.exists(),
            f"one batch of the class exits 0: {batch.returncode}\n{out.decode(errors='replace')}")
    if problem is not None or not whole.exists():
        for name in ("log/munged.out", "munge/munged.log", "log/slurmctld.out",
                     "log/slurmctld.log", "log/slurmd.out", "log/slurmd.log"):
            log = cluster.home / name
            if log.exists():
                print(f"--- {name}\n" + "\n".join(log.read_text().splitlines()[-20:]))
        return
    whole_report = load(whole)
    hashes = {s["id"]: s["content_hash"] for s in whole_report["submissions"]}

    recipe = slurm_recipe(root / "docs/scaling.md")
    print("note: the recipe of docs/scaling.md:\n  " + recipe.replace("\n", "\n  "))
    cache = course / ".grader-cache"  # the job script's default (no GRADER_CACHE set)

    def fresh_course():
        """No parts, logs, report or results; the prepared exercise is kept, so that each
        task grades its part itself without preparing the exercise again."""
        for name in ("parts", "logs", "report.json"):
            path = course / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        for out in course.glob("slurm-*.out"):
            out.unlink()
        if cache.exists():
            shutil.rmtree(cache)
        shutil.copytree(whole_cache, cache)
        for results in cache.glob("v*/*/results"):
            shutil.rmtree(results)

    def submit(script):
        """Runs the commands; returns the array's job id (echoed as $parts) and the merge's."""
        run = cluster.shell(script + '\necho "array=$parts"', course)
        array = re.search(r"^array=(\d+)$", run.stdout, re.M)
        merge = re.search(r"Submitted batch job (\d+)", run.stdout)
        ok = c.check(run.returncode == 0 and array is not None and merge is not None,
                     f"the recipe submits an array and its merge: {run.returncode}\n"
                     f"{run.stdout}{run.stderr}")
        return (array.group(1), merge.group(1)) if ok else (None, None)

    def parts_essence():
        return {k: load(course / f"parts/part-{k}.json")
                for k in range(1, SHARDS + 1) if (course / f"parts/part-{k}.json").exists()}

    # 1. The recipe as written.
    fresh_course()
    array, merge = submit(recipe)
    if array is None:
        return
    c.check(cluster.wait_gone([array], 420), "the array finishes within 7 min")
    states = cluster.states(array)
    if not c.check(sorted(states, key=int) == [str(k) for k in range(1, SHARDS + 1)] and
                   all(s == ("COMPLETED", "0:0") for s in states.values()),
                   f"every task of the array completed with exit 0: {states}"):
        for log in sorted((course / "logs").glob("*.out")):
            print(f"--- {log.name}\n{log.read_text()[-2000:]}")
        cluster.run(["scancel", merge])  # afterok: it would wait forever
        return
    c.check(cluster.wait_gone([merge], 120), "the merge job finishes")
    c.check(cluster.states(merge).get(merge) == ("COMPLETED", "0:0"),
            f"the merge job completed: {cluster.states(merge)}")
    logs = sorted(p.name for p in (course / "logs").glob(f"grade-{array}-*.out"))
    c.check(len(logs) == SHARDS, f"one log per task in logs/: {logs}")
    parts = parts_essence()
    c.check(sorted(parts) == list(range(1, SHARDS + 1)), f"one part per task: {sorted(parts)}")
    graded = []
    for k, part in parts.items():
        listed = [s["id"] for s in part["submissions"]]
        c.check(part.get("shard", {}).get("index") == k and
                part["shard"].get("count") == SHARDS and
                all(shard_of(sid, SHARDS) == k for sid in listed),
                f"part {k} is shard {k}/{SHARDS} (auto/8 from SLURM_ARRAY_TASK_ID)")
        graded += [s["id"] for s in part["submissions"] if not s.get("cached")]
    c.check(sorted(graded) == ids, f"each submission graded once, by its own task: {graded}")
    report = course / "report.json"
    c.check(report.exists() and essence(load(report)) == essence(whole_report),
            "the merged report equals one batch of the class (ignoring durations, cached)")

    # 2. One task cancelled mid-way, then that index alone rerun.
    fresh_course()
    array, merge = submit(recipe)
    if array is None:
        return
    fast = by_shard[victim]
    def finished():
        # Any layout version of the cache (vN/).
        return {p.stem for p in cache.glob("v*/*/results/*.json")}

    part = course / f"parts/part-{victim}.json"
    task = f"{array}_{victim}"
    reached = cluster.wait_for(lambda: {hashes[s] for s in fast} <= finished()
                               or not cluster.queued(task), 420, step=0.1)
    running = [line for line in cluster.queued(task) if "RUNNING" in line]
    reached = reached and {hashes[s] for s in fast} <= finished()
    c.check(reached and running and hashes[slow] not in finished() and not part.exists(),
            f"task {task} is running, {fast} graded, {slow} not yet: {running}")
    cancel = cluster.run(["scancel", task])
    if not c.check(cancel.returncode == 0 and running, f"scancel {task}: {cancel.stderr}"):
        cluster.run(["scancel", array])
        cluster.run(["scancel", merge])
        return
    c.check(cluster.wait_for(lambda: not cluster.queued(array), 420),
            "the other tasks of the array finish")
    states = cluster.states(array)
    c.check(states.get(str(victim), ("",))[0] == "CANCELLED" and
            all(s == ("COMPLETED", "0:0") for k, s in states.items() if k != str(victim)),
            f"task {victim} cancelled, the others completed: {states}")
    log = course / f"logs/grade-{array}-{victim}.out"
    c.check(log.exists() and "CANCELLED" in log.read_text(),
            f"the cancelled task's log says so: {log.read_text() if log.exists() else 'none'}")
    c.check(not part.exists(), f"the cancelled task wrote no part-{victim}.json")
    # afterok can no longer be satisfied: the merge waits forever and is cancelled by hand.
    c.check(cluster.wait_for(lambda: any("DependencyNeverSatisfied" in line
                                         for line in cluster.queued(merge)), 60),
            f"the merge waits on a dependency never satisfied: {cluster.queued(merge)}")
    c.check(not (course / "report.json").exists(), "no merged report")
    cluster.run(["scancel", merge])
    cluster.wait_gone([merge], 60)
    done_before = finished()

    rerun_recipe = rerun_commands(root / "docs/scaling.md", victim)
    print("note: the rerun of docs/scaling.md:\n  " + rerun_recipe.replace("\n", "\n  "))
    run = cluster.shell(rerun_recipe + '\necho "rerun=$rerun"', course)
    rerun = re.search(r"^rerun=(\d+)$", run.stdout, re.M)
    merge = re.search(r"Submitted batch job (\d+)", run.stdout)
    if not c.check(run.returncode == 0 and rerun and merge,
                   f"the rerun and a new merge are submitted\n{run.stdout}{run.stderr}"):
        return
    rerun, merge = rerun.group(1), merge.group(1)
    c.check(cluster.wait_gone([rerun, merge], 420), "the rerun and the merge finish")
    c.check(cluster.states(rerun).get(str(victim)) == ("COMPLETED", "0:0"),
            f"the rerun of index {victim} completed: {cluster.states(rerun)}")
    parts = parts_essence()
    c.check(sorted(parts) == list(range(1, SHARDS + 1)), f"every part is there: {sorted(parts)}")
    if part.exists():
        again = load(part)["submissions"]
        reused = sorted(s["id"] for s in again if s.get("cached"))
        c.check(reused == sorted(s for s in fast if hashes[s] in done_before) and reused,
                f"the rerun reused what the cancelled task had finished: {reused}")
        c.check([s["id"] for s in again if not s.get("cached")] == [slow],
                f"the rerun graded only {slow}")
    fresh = []
    for k, p in parts.items():
        fresh += [s["id"] for s in p["submissions"] if not s.get("cached")]
    fresh += [s for s in fast if hashes[s] in done_before]  # graded by the cancelled task
    c.check(sorted(fresh) == ids, f"nothing graded twice, nothing left out: {sorted(fresh)}")
    c.check(report.exists() and essence(load(report)) == essence(whole_report),
            "after the rerun, the merged report equals one batch of the class")


def rerun_commands(doc, index):
    """The document's rerun of one array index, with K replaced by the cancelled index."""
    text = doc.read_text()
    start = text.index("**Slurm**")
    blocks = re.findall(r"```\w*\n(.*?)```", text[start:], re.S)
    rerun = next(b for b in blocks if "--array=K" in b)
    lines = [line.strip() for line in rerun.splitlines() if line.strip()]
    return "\n".join(lines).replace("--array=K", f"--array={index}")


def finish(c):
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
