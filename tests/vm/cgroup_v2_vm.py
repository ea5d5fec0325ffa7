#!/usr/bin/env python3
"""grader-box's cgroup v2 path, tested for real inside a virtual machine.

This host keeps its memory and pids controllers on cgroup v1, so its cgroup2 hierarchy can
limit nothing. This test boots Debian's own kernel under QEMU (software emulation) with an
initramfs holding busybox, the real grader-box and the hostile test programs, mounts a
cgroup2 hierarchy with every controller, runs attacks through grader-box there and checks the
verdicts and what is left afterwards. A containment failure stays inside the virtual machine.

Debian's kernel has IA-32 emulation, which this host's kernel may lack: the virtual machine is
also where a 32-bit system call (int 0x80) is shown to reach a real 32-bit entry unsandboxed
and to be stopped by the box's filter (SIGSYS) inside the box.

Exit codes: 0 passed, 1 failed, 77 skipped (not root, or QEMU, busybox or the kernel missing:
`bash scripts/setup --tests` provides them).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77
PROGRAMS = ["hello", "alloc_touch", "fork_bomb", "cpu_loop", "leave_behind", "foreign_syscall"]

# Second stage, run as pid 1 on a tmpfs root (pivot_root, which grader-box uses, cannot leave
# the initramfs itself). Each scenario prints its result record between markers.
STAGE2 = r"""#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "+memory +pids +cpu" > /sys/fs/cgroup/cgroup.subtree_control
echo "@@@ probe"
/grader/grader-box --probe
echo "@@@ end"

uid_procs() {
  n=0
  for f in /proc/[0-9]*/status; do
    grep -q "^Uid:[[:space:]]*$1[[:space:]]" "$f" 2>/dev/null && n=$((n + 1))
  done
  echo $n
}

# scenario NAME SLOT [grader-box options] -- PROGRAM [ARGS]
scenario() {
  name=$1 slot=$2
  shift 2
  d=/work/$name
  mkdir -p $d/box $d/out
  for p in PROGRAMS; do cp /grader/programs/$p $d/box/; done
  /grader/grader-box --box-dir $d/box --copy-out $d/out --result $d/result \
    --stdout $d/stdout --stderr $d/stderr --cpu-time-ms 1000 --wall-time-ms 30000 \
    --memory-mib 64 --output-limit-kib 1024 --file-size-kib 16384 --box-size-mib 32 \
    --max-processes 16 --slot $slot "$@" 2> $d/box_stderr
  status=$?
  [ "$name" = daemon ] && sleep 2
  echo "@@@ $name"
  echo "box_exit=$status"
  cat $d/result
  echo "stdout=$(head -c 200 $d/stdout | tr '\n' '|')"
  echo "box_stderr=$(head -c 300 $d/box_stderr | tr '\n' '|')"
  echo "slot_procs=$(cat /sys/fs/cgroup/grader/slot-$slot/cgroup.procs | wc -l)"
  echo "uid_procs=$(uid_procs $((60000 + slot)))"
  echo "marker=$(ls $d/out/marker 2>/dev/null | wc -l)"
  echo "@@@ end"
}

scenario hello 1 -- ./hello
scenario memory 1 --cpu-time-ms 20000 -- ./alloc_touch
scenario after_memory 1 -- ./hello
scenario forks 2 --cpu-time-ms 20000 -- ./fork_bomb
scenario cpu 3 -- ./cpu_loop
scenario daemon 4 -- ./leave_behind daemon
echo "@@@ ia32"
echo "direct=$(/grader/programs/foreign_syscall int80 | tr '\n' '|')"
echo "@@@ end"
scenario int80 5 -- ./foreign_syscall int80
echo "@@@ release"
/grader/grader-box --release-slots
echo "left=$(ls -d /sys/fs/cgroup/grader/slot-* 2>/dev/null | wc -l)"
echo "@@@ end"
echo "@@@ done"
poweroff -f
""".replace("PROGRAMS", " ".join(PROGRAMS))

# First stage (/init on the initramfs): copies itself onto a tmpfs and switches to it.
STAGE1 = r"""#!/bin/busybox sh
/bin/busybox --install -s /usr/bin
mount -t tmpfs -o size=256m root /newroot
cp -a /usr /grader /stage2 /newroot/
for link in bin sbin lib lib64; do cp -a /$link /newroot/; done
mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/tmp /newroot/run /newroot/etc \
  /newroot/work
exec switch_root /newroot /stage2
"""


class Archive:
    """An initramfs in the kernel's "newc" cpio format."""

    def __init__(self):
        self.data = bytearray()
        self.inode = 1

    def _add(self, name, mode, body=b""):
        fields = [self.inode, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name) + 1, 0]
        self.inode += 1
        self.data += b"070701" + b"".join(b"%08X" % f for f in fields) + name.encode() + b"\0"
        self.data += b"\0" * (-len(self.data) % 4)
        self.data += body
        self.data += b"\0" * (-len(self.data) % 4)

    def directory(self, name):
        self._add(name, 0o040755)

    def file(self, name, body, mode=0o755):
        self._add(name, 0o100000 | mode, body)

    def symlink(self, name, target):
        self._add(name, 0o120777, target.encode())

    def finish(self):
        self._add("TRAILER!!!", 0)
        return bytes(self.data)


def shared_libraries(binary):
    """Absolute paths of the libraries (and loader) `binary` needs; empty when static."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        match = re.search(r"(/\S+) \(0x", line)
        if match:
            found.append(match.group(1))
    return found


def in_usr(path):
    """Where a host path goes in the guest's merged-/usr tree."""
    return path if path.startswith("/usr/") else "/usr" + path


def build_initramfs(grader_box, programs_dir, busybox):
    archive = Archive()
    for d in ["usr", "usr/bin", "usr/lib", "usr/lib64", "usr/lib/x86_64-linux-gnu", "proc",
              "sys", "dev", "tmp", "run", "newroot", "grader", "grader/programs", "etc"]:
        archive.directory(d)
    for link, target in [("bin", "usr/bin"), ("sbin", "usr/bin"), ("lib", "usr/lib"),
                         ("lib64", "usr/lib64")]:
        archive.symlink(link, target)
    with open(busybox, "rb") as f:
        archive.file("usr/bin/busybox", f.read())
    archive.file("init", STAGE1.encode())
    archive.file("stage2", STAGE2.encode())
    binaries = [(grader_box, "grader/grader-box")]
    binaries += [(os.path.join(programs_dir, p), "grader/programs/" + p) for p in PROGRAMS]
    libraries = set()
    for source, name in binaries:
        with open(source, "rb") as f:
            archive.file(name, f.read())
        libraries.update(shared_libraries(source))
    made = {"usr/lib", "usr/lib64", "usr/lib/x86_64-linux-gnu"}
    for library in sorted(libraries):
        real = in_usr(os.path.realpath(library))
        listed = in_usr(library)
        for path in (real, listed):
            parent = os.path.dirname(path).lstrip("/")
            if parent not in made:
                archive.directory(parent)
                made.add(parent)
        with open(library, "rb") as f:
            archive.file(real.lstrip("/"), f.read())
        if listed != real:  # e.g. the loader, asked for by its /lib64 path
            archive.symlink(listed.lstrip("/"), real)
    return archive.finish()


def parse_blocks(console):
    blocks = {}
    current = None
    for raw in console.splitlines():
        line = raw.strip("\r")
        if line.startswith("@@@ "):
            word = line[4:].strip()
            if word == "end":
                current = None
            elif word != "done":
                current = blocks.setdefault(word, {})
            continue
        if current is not None and "=" in line:
            key, _, value = line.partition("=")
            current[key] = value
    return blocks


class Checks:
    def __init__(self):
        self.failures = 0
        self.count = 0

    def expect(self, condition, what, record=None):
        self.count += 1
        if condition:
            print(f"ok    {what}")
        else:
            self.failures += 1
            print(f"FAIL  {what}" + (f"\n      record: {record}" if record is not None else ""))


def number(record, key):
    try:
        return int(record.get(key, ""))
    except ValueError:
        return -1


def check(blocks, checks):
    probe = blocks.get("probe", {})
    checks.expect(probe.get("cgroup_limits") == "1" and
                  probe.get("cgroup_v2", "").startswith("writable:"),
                  "probe: a writable cgroup2 hierarchy with limits", probe)

    def clean(name, r):
        checks.expect(r.get("box_exit") == "0", f"{name}: grader-box exits 0", r)
        checks.expect(r.get("cgroup") == "v2:memory,pids,cpu", f"{name}: the v2 controllers", r)
        checks.expect(r.get("slot_procs") == "0", f"{name}: the slot's cgroup is empty after", r)
        checks.expect(r.get("uid_procs") == "0", f"{name}: no process of the slot's uid left", r)

    r = blocks.get("hello", {})
    clean("hello", r)
    checks.expect(r.get("verdict") == "exited" and r.get("exit_code") == "0",
                  "hello: exited 0", r)
    checks.expect(r.get("stdout") == "hello from the box|", "hello: its output", r)
    checks.expect(number(r, "box_memory_peak_kib") > 0, "hello: a memory peak (first run)", r)

    r = blocks.get("memory", {})
    clean("memory", r)
    checks.expect(r.get("verdict") == "memory_limit" and r.get("oom_killed") == "1",
                  "4 GiB allocation under --memory-mib 64: memory_limit, from memory.events", r)
    checks.expect(60 * 1024 <= number(r, "box_memory_peak_kib") <= 64 * 1024,
                  "memory: the peak is at the 64 MiB limit", r)

    r = blocks.get("after_memory", {})
    clean("after_memory", r)
    checks.expect(r.get("verdict") == "exited" and r.get("oom_killed") == "0",
                  "the slot's next run: exited, the earlier OOM kill not counted again", r)
    checks.expect(0 <= number(r, "box_memory_peak_kib") < 32 * 1024,
                  "the slot's next run: not the earlier run's peak", r)

    r = blocks.get("forks", {})
    clean("forks", r)
    match = re.fullmatch(r"forks=(\d+)\|", r.get("stdout", ""))
    forks = int(match.group(1)) if match else -1
    checks.expect(r.get("verdict") == "exited" and r.get("process_limit_hit") == "1",
                  "500 forks under --max-processes 16: stopped by pids.max, reported", r)
    checks.expect(0 < forks < 16, f"forks: {forks} succeeded, fewer than 16", r)

    r = blocks.get("cpu", {})
    clean("cpu", r)
    checks.expect(r.get("verdict") == "timeout" and r.get("timeout_kind") == "cpu",
                  "infinite loop: cpu timeout", r)
    checks.expect(number(r, "cpu_ms") >= 900, "cpu: cpu_ms from cpu.stat >= 900", r)

    r = blocks.get("daemon", {})
    clean("daemon", r)
    checks.expect(r.get("verdict") == "exited" and r.get("stdout") == "parent done|",
                  "setsid daemon: the program exited, the daemon printed nothing", r)
    checks.expect(r.get("marker") == "0", "daemon: its marker never appeared", r)

    # The other side of the 32-bit syscall entry (this host may have none).
    checks.expect(probe.get("ia32_syscall_entry") == "1",
                  "probe: this kernel has a 32-bit syscall entry", probe)
    r = blocks.get("ia32", {})
    checks.expect(re.fullmatch(r"returned [1-9]\d*\|", r.get("direct", "")) is not None,
                  "unsandboxed, int 0x80 getpid reaches the kernel and returns a pid", r)
    r = blocks.get("int80", {})
    clean("int80", r)
    checks.expect(r.get("verdict") == "security_violation" and r.get("signal_name") == "SIGSYS",
                  "int 0x80 in the box: security_violation, SIGSYS from the filter", r)
    checks.expect(r.get("stdout") == "", "int80: the call never returned in the box", r)

    r = blocks.get("release", {})
    checks.expect(r.get("left") == "0", "--release-slots removed every slot cgroup", r)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grader-box", required=True)
    parser.add_argument("--programs", required=True, help="directory of the test programs")
    parser.add_argument("--kernel", required=True, help="a bzImage (Debian's vmlinuz)")
    parser.add_argument("--work", required=True, help="scratch directory")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()

    qemu = shutil.which("qemu-system-x86_64")
    busybox = "/bin/busybox"
    missing = [what for what, ok in [("root", os.geteuid() == 0), ("qemu-system-x86_64", qemu),
                                     ("busybox-static", os.path.exists(busybox)),
                                     ("kernel " + args.kernel, os.path.exists(args.kernel))]
               if not ok]
    if missing:
        print("SKIP: needs " + ", ".join(missing) + " (bash scripts/setup --tests)")
        return SKIP
    os.makedirs(args.work, exist_ok=True)
    initrd = os.path.join(args.work, "initramfs.cpio")
    with open(initrd, "wb") as f:
        f.write(build_initramfs(args.grader_box, args.programs, busybox))
    # Software emulation: /dev/kvm may exist in a VM without nested virtualisation working.
    command = [qemu, "-accel", "tcg", "-m", "512", "-smp", "1", "-display", "none",
               "-serial", "stdio", "-monitor", "none", "-no-reboot", "-nodefaults",
               "-kernel", args.kernel, "-initrd", initrd,
               "-append", "console=ttyS0 panic=-1 quiet"]
    started = time.monotonic()
    try:
        run = subprocess.run(command, capture_output=True, timeout=args.timeout)
    except subprocess.TimeoutExpired as e:
        console = (e.stdout or b"").decode(errors="replace")
        print(console[-4000:])
        print(f"FAIL: the virtual machine did not finish in {args.timeout} s")
        return 1
    console = run.stdout.decode(errors="replace")
    with open(os.path.join(args.work, "console.log"), "w") as f:
        f.write(console)
    print(f"virtual machine: {time.monotonic() - started:.1f} s, exit {run.returncode}")
    if "@@@ done" not in console:
        print(console[-4000:])
        print(run.stderr.decode(errors="replace")[-2000:])
        print("FAIL: the scenarios did not finish")
        return 1
    checks = Checks()
    check(parse_blocks(console), checks)
    print(f"{checks.count - checks.failures} of {checks.count} checks passed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
