#!/usr/bin/python3
"""Hostile submissions through the real grader: every attack is contained, with its verdict.

Copies tests/hostile/submissions to a temporary folder (filling in the placeholders: the run's
secret, the repository, a TCP port, marker paths), plants secrets beside the submissions and a
fake `reference/` above them, starts canary processes with the box uids and a TCP listener, then
runs `grader batch DIR -j 2` and `grader grade` on a few submissions (a second copy, so that a
result cache cannot answer for them). It checks, against expected.json: exit code 0 of both runs,
no internal_error, every status and task verdict; and that nothing escaped: no secret (nor anything shaped
like a line of /etc/shadow, nor the reference solution) in the reports, stdout or stderr, the
canaries alive, no TCP connection accepted, no marker file written by a leftover process, no
process of a box uid (60000..60300) and no process in a grader-box slot cgroup left behind, and
the grader's TMPDIR empty afterwards.

Python 3 standard library only. Needs root (the grader's full sandbox); prints "skipped: needs
root" and exits 0 otherwise. Ends with "N passed, N failed"; exits 1 on any failure.
"""

import argparse
import glob
import json
import os
import pathlib
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "support"))
import kernel_abi  # noqa: E402
BOX_UIDS = set(range(60000, 60301))
NOBODY = 65534
CANARY_UIDS = range(60000, 60008)
# A line of shadow(5), recognised by its shape (the checker never reads the host's /etc/shadow):
# name:password:lastchange:min:max:warn:inactive:expire:
SHADOW_LINE = re.compile(r"\b[a-z_][a-z0-9_.-]*\$?:[^:\s]*:\d{5}:\d*:\d*:\d*:[^:\s]*:[^:\s]*:")


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", flush=True)
        return ok


def task_verdict(task):
    """`passed` when every case passed, else the status of the first case that did not."""
    for case in task["cases"]:
        if case["status"] != "passed":
            return case["status"]
    return "passed"


class Listener:
    """A TCP listener on every address; counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("0.0.0.0", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, peer = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(peer)
            conn.close()

    def stop(self):
        self.stopping.set()
        self.thread.join()
        self.sock.close()


def fill_placeholders(tree, values):
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.suffix in (".cpp", ".py", ".hpp"):
            text = path.read_text()
            for key, value in values.items():
                text = text.replace(f"@{key}@", value)
            path.write_text(text)


def write_secret(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o644)  # world-readable: only the box, not file modes, may keep it away


def plant(subs, tmp, secret, names):
    """Secrets beside the submissions and symlinks to outside files (the `planted` entries)."""
    write_secret(subs / ".secret", secret + "\n")
    outside = tmp / "outside"
    write_secret(outside / "secret.txt", secret + "\n")
    # .cpp files whose compile error would quote the secret: #error prints its own line. The
    # targets bear the links' names, since a submission's id comes from its resolved path.
    leak = f"#error {secret}\n"
    write_secret(outside / "leak.cpp", leak)
    write_secret(outside / "planted-symlink-entry.cpp", leak)
    write_secret(outside / "planted-symlink-folder" / "main.cpp", leak)
    if "planted-symlink-sources" in names:
        sources = subs / "planted-symlink-sources"
        sources.mkdir()
        (sources / "main.cpp").symlink_to(outside / "leak.cpp")
        (sources / "shadow.cpp").symlink_to("/etc/shadow")
        (sources / "sub").symlink_to(outside / "planted-symlink-folder")
    if "planted-symlink-entry" in names:
        (subs / "planted-symlink-entry.cpp").symlink_to(outside / "planted-symlink-entry.cpp")
    if "planted-symlink-folder" in names:
        (subs / "planted-symlink-folder").symlink_to(outside / "planted-symlink-folder")


def fake_reference(tmp, repo, secret):
    """TMP/reference/backprop/solution.cpp: what ../../reference/... reaches from TMP/subs/NAME.
    A correct solution that also quotes the secret in a #warning, were it ever compiled."""
    real = (repo / "reference" / "backprop" / "solution.cpp").read_text()
    text = f'#warning "{secret}"\n// {secret}\n' + real.replace('#include "backprop.hpp"', "")
    write_secret(tmp / "reference" / "backprop" / "solution.cpp", text)


def append_nonce(tree, nonce):
    """Changes every source's content (a trailing comment) so that no cached result applies."""
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink():
            if path.suffix == ".cpp":
                path.write_text(path.read_text() + f"\n// nonce {nonce}\n")
            elif path.suffix == ".py":
                path.write_text(path.read_text() + f"\n# nonce {nonce}\n")


def start_canaries():
    """Processes with the box uids outside any box: kill(-1) from a box must not reach them."""
    canaries = []
    for uid in CANARY_UIDS:
        canaries.append(subprocess.Popen(["/bin/sleep", "600"], user=uid, group=uid,
                                         extra_groups=[], stdin=subprocess.DEVNULL,
                                         start_new_session=True))
    return canaries


def proc_status(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
        with open(f"/proc/{pid}/stat") as f:
            start = f.read().rsplit(")", 1)[1].split()[19]
        return fields, start
    except (OSError, IndexError, ValueError):
        return None, None


def slot_cgroups():
    """pid -> slot cgroup folder of every process in a grader-box slot cgroup (v1 or v2)."""
    found = {}
    for top in glob.glob("/sys/fs/cgroup/*/") + ["/sys/fs/cgroup/"]:
        for dirpath, dirnames, _ in os.walk(top):
            if dirpath.count("/") > 12:
                dirnames[:] = []
            name = os.path.basename(dirpath)
            if not (name.startswith("slot-")
                    and os.path.basename(os.path.dirname(dirpath)) == "grader"):
                continue
            dirnames[:] = []
            for listing in ("cgroup.procs", "tasks"):
                try:
                    with open(os.path.join(dirpath, listing)) as f:
                        for pid in f.read().split():
                            found[int(pid)] = dirpath
                except (OSError, ValueError):
                    continue
    return found


def box_processes(exclude, tag):
    """Every process with a box uid (real or effective), in a slot cgroup or named `tag`, as
    pid -> (name, start time, slot cgroup or None); and the slot cgroups in use right now (holding
    a live grader-box process: another run of this shared machine, or ours still going)."""
    in_cgroup = slot_cgroups()
    candidates = set(in_cgroup)
    candidates.update(int(e) for e in os.listdir("/proc") if e.isdigit())
    found, active = {}, set()
    for pid in candidates:
        if pid in exclude:
            continue
        fields, start = proc_status(pid)
        if not fields or "Uid" not in fields:
            continue
        name = fields.get("Name", "?")
        cgroup = in_cgroup.get(pid)
        if name == "grader-box":
            if cgroup:
                active.add(cgroup)
            continue
        uids = [int(u) for u in fields["Uid"].split()[:2]]
        if cgroup or name == tag or any(u in BOX_UIDS for u in uids):
            found[pid] = (name, start, cgroup)
    return found, active


def leftovers(exclude, tag, settle_seconds=10):
    """Processes of ours left behind: any carrying the run's tag; and any other one with a box uid
    or in a slot cgroup that stays (same pid and start time) for settle_seconds outside every slot
    cgroup in use (other engineers' runs on this shared machine come and go meanwhile)."""
    bad, pending = {}, None
    deadline = time.monotonic() + settle_seconds
    while True:
        now, active = box_processes(exclude, tag)
        bad.update({pid: info for pid, info in now.items() if info[0] == tag})
        current = {pid: info for pid, info in now.items()
                   if info[0] != tag and info[2] not in active}
        pending = current if pending is None else \
            {pid: info for pid, info in pending.items() if current.get(pid) == info}
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(1)
    bad.update(pending)
    return [f"pid {pid} ({name}, cgroup {cgroup})" for pid, (name, _, cgroup) in sorted(bad.items())]


def cache_flags(grader, cache_dir):
    help_text = subprocess.run([grader, "--help"], capture_output=True, text=True).stdout
    help_text += subprocess.run([grader, "grade", "--help"], capture_output=True, text=True).stdout
    return ["--cache-dir", str(cache_dir)] if "--cache-dir" in help_text else []


# How each mode runs the grader. root: as this process is. no-sys-admin: root with
# CAP_SYS_ADMIN gone from the bounding set, so the grader exec'd has it nowhere (a container
# or pod without privileges). user: an ordinary user (nobody) with a workspace of its own.
MODES = {
    "root": [],
    "no-sys-admin": ["setpriv", "--bounding-set=-sys_admin", "--"],
    "user": ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"],
}
# The grader-box mode each must end up in, as the report's sandbox line names it.
EXPECTED_BOX_MODE = {"root": "root mode", "no-sys-admin": "user-namespace mode",
                     "user": "user-namespace mode"}


def world_readable_copy(repo, grader, tmp):
    """The grader, its launcher, the exercises and the references under tmp/image, where an
    ordinary user can read them (the checkout itself may sit in a private folder)."""
    image = tmp / "image"
    (image / "build" / "bin").mkdir(parents=True)
    for name in ("grader", "grader-box"):
        shutil.copy2(pathlib.Path(grader).parent / name, image / "build" / "bin" / name)
    for part in ("exercises", "reference"):
        shutil.copytree(repo / part, image / part)
    for path in [image, *image.rglob("*")]:
        path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    return str(image / "build" / "bin" / "grader")


def run_grader(argv, env, timeout):
    started = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, errors="replace",
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the grader we started, and its launchers
        out, err = proc.communicate()
        err += f"\n[check_hostile: killed after {timeout} s]"
    return proc.returncode, out, err, time.monotonic() - started


def check_report(c, label, report, expected, names):
    by_id = {s["id"]: s for s in report.get("submissions", [])}
    c.check(set(by_id) == set(names),
            f"{label}: graded {sorted(set(by_id) - set(names))} unexpectedly; "
            f"missing {sorted(set(names) - set(by_id))}")
    for sub in report.get("submissions", []):
        c.check(sub["status"] != "internal_error",
                f"{label}: {sub['id']}: internal_error: {sub.get('message', '')}")
    for name in names:
        want = expected[name]
        got = by_id.get(name)
        if got is None:
            continue
        verdicts = {t["id"]: task_verdict(t) for t in got.get("tasks", [])}
        shown = " ".join(f"{k}={v}" for k, v in verdicts.items())
        print(f"  {label}: {name}: {got['status']} {shown}".rstrip(), flush=True)
        c.check(got["status"] == want["status"],
                f"{label}: {name}: status {got['status']}, expected {want['status']} "
                f"({got.get('message', '')[:300]})")
        if "language" in want:
            c.check(got.get("language") == want["language"],
                    f"{label}: {name}: language {got.get('language')}, expected {want['language']}")
        for task_id, verdict in want.get("tasks", {}).items():
            actual = verdicts.get(task_id, "absent")
            task = next(t for t in got["tasks"] if t["id"] == task_id) if task_id in verdicts else None
            messages = [k.get("message", "") for k in (task or {}).get("cases", [])
                        if k["status"] != "passed"]
            allowed = verdict if isinstance(verdict, list) else [verdict]
            detail = f" ({messages[0][:300]})" if messages and actual not in allowed else ""
            c.check(actual in allowed,
                    f"{label}: {name}: task {task_id} verdict {actual}, expected "
                    f"{' or '.join(allowed)}{detail}")
            if "message" in want and verdict != "passed":
                c.check(bool(messages) and want["message"] in messages[0],
                        f"{label}: {name}: task {task_id}: the first failing case's message "
                        f"{messages[:1]} does not name {want['message']}")
        if name.endswith("read-secrets"):
            c.check("READ " not in got.get("stdout", ""),
                    f"{label}: {name}: read something: {got.get('stdout', '')[:300]}")


def kernel_ia32_entry_or_fail():
    entry = kernel_abi.ia32_syscall_entry()
    if entry is None:
        print("FAIL: the int 0x80 probe neither returned nor faulted: cannot tell which verdict "
              "this kernel must give", flush=True)
        sys.exit(1)
    return entry


def kernel_dependent(want):
    """The verdicts a kernel with no 32-bit syscall entry must give instead."""
    other = want.get("without_ia32_entry")
    if not other:
        return want
    merged = dict(want, tasks=dict(want.get("tasks", {}), **other.get("tasks", {})))
    if "message" in other:
        merged["message"] = other["message"]
    return merged


def mode_dependent(want, key):
    """The verdicts a mode without some of the box's layers must give instead (`key`)."""
    other = want.get(key)
    if not other:
        return want
    return dict(want, tasks=dict(want.get("tasks", {}), **other.get("tasks", {})))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True, help="the repository")
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--mode", choices=sorted(MODES), default="root",
                        help="how the grader runs (root; root without CAP_SYS_ADMIN; nobody)")
    parser.add_argument("--only", action="append", default=[],
                        help="check only these submissions (repeatable; for debugging)")
    parser.add_argument("--extra", action="append", default=[],
                        help="extra grader flag (repeatable; e.g. --extra=--unsafe-no-sandbox "
                             "with --only to see the checker catch escapes; never with kill-all)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("skipped: needs root (the grader's full sandbox runs student code as root)")
        print("0 passed, 0 failed")
        return 0

    repo = pathlib.Path(args.root).resolve()
    grader = str(pathlib.Path(args.grader).resolve())
    manifest = json.loads((HERE / "expected.json").read_text())
    expected = manifest["submissions"]
    # Before any thread starts (the probe forks).
    ia32_entry = kernel_ia32_entry_or_fail()
    print("kernel: " + ("has a 32-bit syscall entry" if ia32_entry else
                        "no 32-bit syscall entry: int 0x80 is expected to be a SIGSEGV"),
          flush=True)
    if not ia32_entry:
        expected = {name: kernel_dependent(want) for name, want in expected.items()}
    print(f"mode: {args.mode}", flush=True)
    # No cgroup for the box: as nobody always; as root where the host has no writable one.
    probe = subprocess.run([str(pathlib.Path(args.grader).parent / "grader-box"), "--probe"],
                           capture_output=True, text=True).stdout
    if args.mode == "user" or "cgroup_limits=1" not in probe.split():
        print("no cgroup limits: memory is limited per process", flush=True)
        expected = {name: mode_dependent(want, "without_cgroup") for name, want in expected.items()}
    names = sorted(n for n in expected if not args.only or n in args.only)
    grade_names = [n for n in manifest["grade_also"] if n in names]
    c = Checker()

    token = secrets.token_hex(12)
    secret = f"HOSTILE-SECRET-{token}"
    tag = f"hx{token[:8]}"
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="grader-hostile-"))
    tmp.chmod(0o755)  # traversable by the box uids: only the box may keep them out
    subs, grade_subs = tmp / "subs", tmp / "grade-subs"
    markers, grader_tmp, cache_dir = tmp / "markers", tmp / "grader-tmp", tmp / "cache"
    markers.mkdir()
    markers.chmod(0o777)
    grader_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(grader_tmp))
    wrap = MODES[args.mode]
    if args.mode == "user":
        # A workspace of nobody's own: its TMPDIR, cache and reports; nothing else of ours.
        grader = world_readable_copy(repo, grader, tmp)
        cache_dir.mkdir()
        for path in (grader_tmp, cache_dir, tmp / "reports"):
            path.mkdir(exist_ok=True)
            os.chown(path, NOBODY, NOBODY)
        env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(grader_tmp), "HOME": str(grader_tmp),
               "LANG": "C.UTF-8"}
        BOX_UIDS.add(NOBODY)
    reference_line = (repo / "reference" / "backprop" / "solution.cpp").read_text().splitlines()[0]
    host_markers = lambda: glob.glob(f"/tmp/grader-hostile-marker-{token}*")  # noqa: E731

    listener = Listener()
    canaries = []
    outputs = []  # (label, text) searched for secrets
    try:
        canaries = start_canaries()
        canary_pids = {p.pid for p in canaries}
        # In user mode the box runs as nobody outside: nobody's processes from before are not ours.
        canary_pids |= {int(e) for e in os.listdir("/proc") if e.isdigit() and
                        (proc_status(int(e))[0] or {}).get("Uid", "").split()[:1] == [str(NOBODY)]}
        shutil.copytree(HERE / "submissions", subs,
                        ignore=lambda d, files: [f for f in files if f not in names]
                        if pathlib.Path(d) == HERE / "submissions" else [])
        fill_placeholders(subs, {"SECRET": secret, "TOKEN": token, "TAG": tag,
                                 "REPO": str(repo), "PORT": str(listener.port),
                                 "SUBMISSIONS": str(subs), "HOSTILE_TMP": str(tmp),
                                 "MARKERS": str(markers)})
        plant(subs, tmp, secret, names)
        fake_reference(tmp, repo, secret)
        shutil.copytree(subs, grade_subs, symlinks=True)
        append_nonce(grade_subs, token)
        flags = cache_flags(grader, cache_dir) + args.extra

        # 1. batch, two workers.
        reports = tmp / "reports"
        reports.mkdir(exist_ok=True)
        report_path = reports / "batch.json"
        code, out, err, seconds = run_grader(
            [*wrap, grader, "batch", str(subs), "-j", args.jobs, "--report", str(report_path),
             *flags],
            env, timeout=420)
        print(f"batch: exit code {code} after {seconds:.0f} s", flush=True)
        c.check(code == 0, f"batch: exit code {code}, expected 0: {err[-2000:]}")
        outputs += [("batch stdout", out), ("batch stderr", err)]
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        c.check(bool(report), "batch: a report was written")
        if report_path.exists():
            outputs.append(("batch report", report_path.read_text()))
        check_report(c, "batch", report, expected, names)
        sandbox = report.get("sandbox", "")
        c.check(EXPECTED_BOX_MODE[args.mode] in sandbox,
                f"batch: sandbox {sandbox!r}, expected {EXPECTED_BOX_MODE[args.mode]}")
        # Leftovers of the batch: their markers come 2 s after they start; they end by
        # themselves within 25 s, so look now, not only after grade.
        time.sleep(3)
        c.check(not any(markers.iterdir()), f"markers written: {sorted(os.listdir(markers))}")
        left = leftovers(canary_pids, tag)
        c.check(not left, f"after batch: processes of a box left behind: {left}")

        # 2. grade, on a copy whose contents differ (no cached result can stand in for a run).
        grade_report = {}
        if grade_names:
            report_path = reports / "grade.json"
            paths = [str(grade_subs / n) for n in grade_names]
            code, out, err, seconds = run_grader(
                [*wrap, grader, "grade", *paths, "--report", str(report_path), *flags], env,
                timeout=300)
            print(f"grade: exit code {code} after {seconds:.0f} s", flush=True)
            c.check(code == 0, f"grade: exit code {code}, expected 0: {err[-2000:]}")
            outputs += [("grade stdout", out), ("grade stderr", err)]
            grade_report = json.loads(report_path.read_text()) if report_path.exists() else {}
            c.check(bool(grade_report), "grade: a report was written")
            if report_path.exists():
                outputs.append(("grade report", report_path.read_text()))
            check_report(c, "grade", grade_report, expected, grade_names)
            for sub in grade_report.get("submissions", []):
                c.check(not sub.get("cached", False), f"grade: {sub['id']} came from a cache")

        # 3. Nothing escaped. Leftovers had 2 s to write their markers; give them 3 s more.
        time.sleep(3)
        for label, text in outputs:
            c.check(secret not in text and token not in text,
                    f"{label}: the secret leaked: ...{text[max(0, text.find(token) - 200):][:400]}")
            c.check(not SHADOW_LINE.search(text), f"{label}: a line of a shadow file leaked")
            c.check(reference_line not in text, f"{label}: the reference solution leaked")
            c.check("LEFTOVER-ALIVE" not in text, f"{label}: a leftover process wrote output")
        c.check(all(p.poll() is None for p in canaries),
                f"canaries (uids {CANARY_UIDS.start}..{CANARY_UIDS.stop - 1}) alive: "
                f"{[p.returncode for p in canaries]}")
        c.check(not listener.accepted, f"TCP listener accepted {listener.accepted}")
        c.check(not any(markers.iterdir()), f"markers written: {sorted(os.listdir(markers))}")
        c.check(not host_markers(), f"markers written in /tmp: {host_markers()}")
        left = leftovers(canary_pids, tag)
        c.check(not left, f"after grade: processes of a box left behind: {left}")
        stray = sorted(str(p.relative_to(grader_tmp)) for p in grader_tmp.rglob("*"))
        c.check(not stray, f"the grader's TMPDIR is not empty: {stray[:10]}")
    finally:
        listener.stop()
        for p in canaries:
            if p.poll() is None:
                p.kill()
            p.wait()
        for path in host_markers():
            os.unlink(path)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
