#!/usr/bin/env python3
"""Checks integrations/seccomp/grader-seccomp.json, the seccomp profile for containers that run
the grader, against the launcher it is for:

- it has the format Docker, podman, containerd and CRI-O read, and only x86-64 names that the
  kernel headers (and, when it can be loaded, the installed libseccomp) know, each once;
- it is exactly what integrations/seccomp/make_profile.py writes now;
- every system call grader-box makes is allowed: `syscall(SYS_x, ...)` in grader/box, libc
  wrappers named like their system call, and the wrappers in WRAPPERS below;
- the dangerous calls are absent, and of the calls the box's own filter denies
  (grader/box/seccomp_rules.cpp) the profile allows only those grader-box makes itself before it
  installs that filter; what the profile adds to the runtime default is only such calls;
- docs/examples/grade-indexed-job.yaml runs unprivileged with this profile.

Python's standard library only (python3-yaml, when installed, adds structural checks of the
Kubernetes example). Prints one `ok:` or `FAIL:` line per check and ends with an
'N passed, N failed' line; exits non-zero on any failure.
"""

import argparse
import ctypes
import importlib.util
import json
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402

try:
    import yaml
except ImportError:
    yaml = None

UNISTD = pathlib.Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
AUDIT_ARCH_X86_64 = 0xC000003E

ACTIONS = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
           "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
           "SCMP_ACT_NOTIFY"}
OPERATORS = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
             "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}
TOP_KEYS = {"defaultAction", "defaultErrnoRet", "architectures", "archMap", "syscalls", "flags",
            "listenerPath", "listenerMetadata"}
# includes/excludes are Docker's own: containerd reads the OCI object and would ignore them,
# turning a conditional rule into an unconditional one. The profile does without them.
ENTRY_KEYS = {"names", "action", "args", "comment", "errnoRet"}

# Must never be allowed: they reach the kernel or other processes far beyond what grading needs.
DANGEROUS = [
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "bpf",
    "perf_event_open", "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise",
    "pidfd_getfd", "kcmp", "userfaultfd", "keyctl", "add_key", "request_key",
    "open_by_handle_at", "io_uring_setup", "io_uring_enter", "io_uring_register", "iopl",
    "ioperm", "reboot", "swapon", "swapoff", "acct", "syslog", "settimeofday", "clock_settime",
    "quotactl", "lookup_dcookie", "fsopen", "fsmount", "fsconfig", "fspick", "move_mount",
    "open_tree", "mount_setattr", "chroot", "setdomainname", "modify_ldt",
]

# Calls grader-box makes only where it runs as root, with a fallback when they are refused: the
# profile (for containers, where grader-box runs in a user namespace) withholds them.
WITH_FALLBACK = {
    "open_tree": "--read-only-file in root mode; refused, the file is copied (mounts.cpp)",
    "move_mount": "the same, attaching what open_tree detached (mounts.cpp)",
}

# libc functions grader/box calls whose system calls differ from their names (or that glibc
# implements with more than one, depending on its version): every listed call must be allowed.
# Functions named like their system call are found without this table.
WRAPPERS = {
    "_exit": ["exit_group"],
    "access": ["access", "faccessat", "faccessat2"],
    "chmod": ["chmod", "fchmodat"],
    "closedir": ["close"],
    "dup2": ["dup2", "dup3"],
    "fdopendir": ["fcntl", "fstat", "newfstatat"],
    "fork": ["clone"],
    "fstat": ["fstat", "newfstatat"],
    "fstatat": ["newfstatat"],
    "lstat": ["lstat", "newfstatat"],
    "mkdir": ["mkdir", "mkdirat"],
    "mkdtemp": ["mkdir", "getrandom"],
    "mknod": ["mknod", "mknodat"],
    "open": ["open", "openat"],
    "opendir": ["openat", "fstat", "newfstatat"],
    "poll": ["poll", "ppoll"],
    "pread": ["pread64"],
    "readdir": ["getdents64"],
    "readlink": ["readlink", "readlinkat"],
    "rename": ["rename", "renameat", "renameat2"],
    "rmdir": ["rmdir", "unlinkat"],
    "setrlimit": ["prlimit64", "setrlimit"],
    "sigaction": ["rt_sigaction"],
    "signal": ["rt_sigaction"],
    "sigprocmask": ["rt_sigprocmask"],
    "stat": ["stat", "newfstatat"],
    "statvfs": ["statfs"],
    "symlink": ["symlink", "symlinkat"],
    "unlink": ["unlink", "unlinkat"],
    "usleep": ["clock_nanosleep", "nanosleep"],
    "waitpid": ["wait4"],
}

# What a statically linked glibc program (grader-box is one) calls around main and in its
# allocator and threads library, with no call in our sources.
IMPLICIT = ["arch_prctl", "brk", "exit_group", "futex", "getrandom", "mmap", "mprotect",
            "munmap", "newfstatat", "rseq", "rt_sigreturn", "set_robust_list", "set_tid_address"]

# Build-time only: compiles the box's filter into the launcher (grader/box/CMakeLists.txt).
BUILD_TIME = {"seccomp_rules.cpp", "seccomp_filter_gen.cpp"}


def syscall_table():
    """name -> number, from the kernel headers."""
    return {name: int(number) for name, number in
            re.findall(r"#define __NR_(\w+)\s+(\d+)", UNISTD.read_text())}


def libseccomp():
    """The installed libseccomp (what runc and crun resolve names with), or None."""
    for name in ("libseccomp.so.2", "libseccomp.so"):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
        lib.seccomp_syscall_resolve_name_arch.restype = ctypes.c_int
        return lib
    return None


def strip_code(text):
    """C++ source without comments and string or character literals."""
    return re.sub(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", " ", text,
                  flags=re.S)


def launcher_calls(box_dir, table):
    """{system call: where it comes from} for grader-box, read from its sources."""
    calls = {}

    def add(name, why):
        calls.setdefault(name, set()).add(why)

    sources = sorted(p for p in box_dir.glob("*.[ch]pp") if p.name not in BUILD_TIME)
    for path in sources:
        code = strip_code(path.read_text())
        for name in re.findall(r"\bsyscall\s*\(\s*SYS_(\w+)", code):
            add(name, f"{path.name}: syscall(SYS_{name})")
        # A call of a free function (not a member, not std::name; ::name is the global one).
        for match in re.finditer(r"(?<![\w.>$])(::)?([A-Za-z_]\w*)\s*\(", code):
            before = code[max(0, match.start() - 2):match.start()]
            if before.endswith("::") and not match.group(1):
                continue
            function = match.group(2)
            if function in table:
                add(function, f"{path.name}: {function}()")
            for name in WRAPPERS.get(function, []):
                add(name, f"{path.name}: {function}()")
    for name in IMPLICIT:
        add(name, "glibc start-up, allocator or threads")
    return calls, sources


def box_deny_list(rules_path):
    """The names the box's filter denies (seccomp_rules.cpp), and whether clone is restricted."""
    text = rules_path.read_text()
    names = set()
    for _, body in re.findall(r"(kDenied\w+)\[\]\s*=\s*\{(.*?)\};", text, flags=re.S):
        names.update(re.findall(r"\"(\w+)\"", body))
    clone_restricted = re.search(r"SCMP_SYS\(clone\)", text) is not None
    return names, clone_restricted


def load_generator(path):
    spec = importlib.util.spec_from_file_location("make_profile", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_format(c, profile):
    c.check(isinstance(profile, dict), "the profile is a JSON object")
    if not isinstance(profile, dict):
        return []
    c.check(set(profile) <= TOP_KEYS,
            f"only known top-level keys: {sorted(set(profile) - TOP_KEYS)}")
    c.check(not ("architectures" in profile and "archMap" in profile),
            "architectures and archMap are not both given (Docker refuses that)")
    action = profile.get("defaultAction")
    c.check(isinstance(action, str) and action in ACTIONS,
            f"defaultAction is an SCMP_ACT_* string: {action!r}")
    c.check(action == "SCMP_ACT_ERRNO" and profile.get("defaultErrnoRet") == 1,
            "anything not listed fails with EPERM (SCMP_ACT_ERRNO, defaultErrnoRet 1)")
    c.check(profile.get("architectures") == ["SCMP_ARCH_X86_64"],
            f"x86-64 only: {profile.get('architectures')}")
    entries = profile.get("syscalls")
    if not c.check(isinstance(entries, list) and entries, "syscalls is a non-empty list"):
        return []
    good, problems = [], {"object": [], "keys": [], "names": [], "sorted": [], "action": [],
                          "args": []}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems["object"].append(i)
            continue
        if not set(entry) <= ENTRY_KEYS:
            problems["keys"].append((i, sorted(set(entry) - ENTRY_KEYS)))
        names = entry.get("names")
        if not (isinstance(names, list) and names and all(isinstance(n, str) for n in names)):
            problems["names"].append(i)
            continue
        if names != sorted(names):
            problems["sorted"].append(i)
        if entry.get("action") not in ACTIONS:
            problems["action"].append((i, entry.get("action")))
        for rule in entry.get("args") or []:
            if not (isinstance(rule, dict) and rule.get("index") in range(6)
                    and isinstance(rule.get("value"), int) and rule["value"] >= 0
                    and rule.get("op") in OPERATORS
                    and isinstance(rule.get("valueTwo", 0), int)):
                problems["args"].append((i, rule))
        good.append(entry)
    c.check(not problems["object"], f"every syscalls entry is an object: {problems['object']}")
    c.check(not problems["keys"], "every entry has only keys all runtimes read (names, action, "
                                  f"args, comment, errnoRet): {problems['keys']}")
    c.check(not problems["names"],
            f"every entry has a non-empty list of names: {problems['names']}")
    c.check(not problems["sorted"], f"every entry's names are sorted: {problems['sorted']}")
    c.check(not problems["action"], f"every entry's action is an SCMP_ACT_*: {problems['action']}")
    c.check(not problems["args"], "every argument rule has an index 0-5, a value and an "
                                  f"SCMP_CMP_* op: {problems['args']}")
    print(f"note: {len(good)} entries, {sum(len(e['names']) for e in good)} names")
    return good


def check_names(c, entries, table, lib):
    names = [n for e in entries for n in e["names"]]
    unknown = sorted(set(names) - set(table))
    c.check(not unknown, f"every name is an x86-64 system call ({UNISTD}): unknown {unknown}")
    if lib is None:
        print("note: libseccomp cannot be loaded; names checked against the kernel headers only")
    else:
        unresolved = sorted(n for n in set(names)
                            if lib.seccomp_syscall_resolve_name_arch(AUDIT_ARCH_X86_64,
                                                                     n.encode()) < 0)
        c.check(not unresolved, f"the installed libseccomp resolves every name: {unresolved}")
    twice = sorted({(i, n) for i, e in enumerate(entries) for n in e["names"]
                    if e["names"].count(n) > 1})
    c.check(not twice, f"no entry names a call twice: {twice}")
    # A name may have several entries only if each has arguments (alternative conditions).
    plain = [n for e in entries if not e.get("args") for n in e["names"]]
    conditional = {n for e in entries if e.get("args") for n in e["names"]}
    duplicates = sorted({n for n in plain if plain.count(n) > 1} | (set(plain) & conditional))
    c.check(not duplicates, f"no call is listed twice: {duplicates}")


def allowed_sets(entries):
    always = {n for e in entries if e["action"] == "SCMP_ACT_ALLOW" and not e.get("args")
              for n in e["names"]}
    sometimes = {n for e in entries if e["action"] == "SCMP_ACT_ALLOW" and e.get("args")
                 for n in e["names"]}
    return always, sometimes


def check_generated(c, root, committed):
    script = root / "integrations" / "seccomp" / "make_profile.py"
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "grader-seccomp.json"
        run = subprocess.run([sys.executable, str(script), "--output", str(out)],
                             capture_output=True, text=True, timeout=60)
        why = f": {run.stderr.strip()}" if run.returncode else ""
        if not c.check(run.returncode == 0, f"make_profile.py runs{why}"):
            return
        c.check(out.read_text() == committed,
                "grader-seccomp.json is what make_profile.py writes now (run "
                "integrations/seccomp/make_profile.py and commit the result)")
        again = pathlib.Path(tmp) / "again.json"
        subprocess.run([sys.executable, str(script), "--output", str(again)],
                       capture_output=True, text=True, timeout=60, check=False)
        c.check(again.exists() and again.read_text() == out.read_text(),
                "make_profile.py is deterministic")


def check_launcher(c, root, entries, table, generator):
    box_dir = root / "grader" / "box"
    for name in sorted(BUILD_TIME):
        c.check((box_dir / name).exists(), f"grader/box/{name} exists (left out as build-time)")
    calls, sources = launcher_calls(box_dir, table)
    c.check(len(sources) >= 10, f"grader-box's sources are found: {len(sources)} files")
    always, sometimes = allowed_sets(entries)
    unknown = sorted(n for n in calls if n not in table)
    c.check(not unknown, f"the launcher's calls are x86-64 system calls: {unknown}")
    for name in sorted(calls):
        where = "; ".join(sorted(calls[name])[:3])
        if name in WITH_FALLBACK:
            c.check(name not in always | sometimes,
                    f"grader-box's {name} ({where}) has a fallback and stays withheld: "
                    f"{WITH_FALLBACK[name]}")
            continue
        if name in sometimes and name not in always:
            c.check(False, f"{name} is allowed only with some arguments, yet grader-box calls "
                           f"it ({where})")
        else:
            c.check(name in always, f"grader-box's {name} is allowed ({where})")
    for ident in sorted(WRAPPERS):
        if not any(f": {ident}()" in w for ws in calls.values() for w in ws):
            print(f"note: WRAPPERS lists {ident}(), which grader/box no longer calls")
    probe = any("int $0x80" in p.read_text() for p in sources)
    if probe:
        print("note: probe.cpp's int 0x80 (the 32-bit entry probe) is outside this x86-64 "
              "profile: under it, grader-box --probe reports ia32_syscall_entry=unknown")

    # The box's filter and the profile: what the box withholds from student code, the profile
    # withholds from the container too, except what grader-box itself calls before installing it.
    denied, clone_restricted = box_deny_list(box_dir / "seccomp_rules.cpp")
    c.check(len(denied) >= 20, f"seccomp_rules.cpp's deny-lists are read: {len(denied)} names")
    denied_here = {n for n in denied if n in table}
    needed = sorted((denied_here & set(calls)) - set(WITH_FALLBACK))
    for name in needed:
        c.check(name in always, f"{name}: denied in the box, called by grader-box before its "
                                "filter, allowed by the profile")
    leaked = sorted((denied_here - set(calls)) & (always | sometimes))
    c.check(not leaked, f"what the box denies and grader-box does not call is withheld: {leaked}")
    c.check(clone_restricted and "clone" in always,
            "clone: the box denies namespace flags to student code; grader-box uses them, so "
            "the profile allows clone")

    additions = set(generator.BOX_NEEDS)
    c.check(additions <= set(calls),
            f"each call the profile adds is one grader-box makes: {sorted(additions - set(calls))}")
    c.check(additions <= denied_here | {"clone"},
            f"each added call is denied to student code by the box's filter: "
            f"{sorted(additions - denied_here - {'clone'})}")
    c.check(additions <= always, f"the added calls are allowed: {sorted(additions - always)}")
    for name in ["clone", "clone3", "unshare", "setns", "mount", "umount2", "pivot_root",
                 "sethostname"]:
        c.check(name in additions, f"{name} is among the calls the profile adds for grader-box")


def check_withheld(c, entries, table, generator):
    always, sometimes = allowed_sets(entries)
    present = sorted(n for n in DANGEROUS if n in always | sometimes)
    c.check(not present, f"the dangerous calls are absent: {present}")
    reasonless = sorted(set(DANGEROUS) - set(generator.WITHHELD))
    c.check(not reasonless, f"make_profile.py gives a reason for each: {reasonless}")
    withheld_allowed = sorted(set(generator.WITHHELD) & (always | sometimes))
    c.check(not withheld_allowed, f"nothing WITHHELD is allowed: {withheld_allowed}")
    # Every call up to the profile's newest is a decision: allowed, or withheld with a reason.
    # (Newer calls than the profile's newest are answered ENOSYS by runc.)
    newest = max(table[n] for n in always | sometimes if n in table)
    undecided = sorted(n for n, nr in table.items() if nr <= newest
                       and n not in always | sometimes and n not in generator.WITHHELD)
    c.check(not undecided, f"each x86-64 call up to number {newest} is allowed or withheld with a "
                           f"reason: undecided {undecided}")
    newer = sorted(n for n, nr in table.items() if nr > newest and n not in generator.WITHHELD)
    if newer:
        print(f"note: newer than the profile's newest call ({newest}), left to the runtime: "
              f"{' '.join(newer)}")


def check_kubernetes(c, root):
    path = root / "docs" / "examples" / "grade-indexed-job.yaml"
    text = path.read_text()
    name = "grade-indexed-job.yaml"
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    c.check(re.search(r"privileged:\s*true", code) is None, f"{name}: no privileged: true")
    c.check(re.search(r"localhostProfile:\s*grader-seccomp\.json", code) is not None,
            f"{name}: refers to the Localhost seccomp profile grader-seccomp.json")
    c.check("/var/lib/kubelet/seccomp/" in text, f"{name}: says where the profile goes on a node")
    c.check(re.search(r"hostUsers:\s*false", code) is not None, f"{name}: hostUsers: false")
    if yaml is None:
        print("note: python3-yaml is not installed; Kubernetes example checked as text only")
        return
    try:
        documents = [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError as e:
        c.check(False, f"{name}: not YAML: {e}")
        return
    jobs = {d.get("metadata", {}).get("name"): d for d in documents if d.get("kind") == "Job"}
    grade = jobs.get("grade-class")
    if not c.check(grade is not None, f"{name}: has the Job grade-class"):
        return
    spec = grade.get("spec", {})
    c.check(spec.get("completionMode") == "Indexed", f"{name}: an Indexed Job")
    pod = spec.get("template", {}).get("spec", {})
    c.check(pod.get("hostUsers") is False, f"{name}: the grading pod has hostUsers: false")
    seccomp = (pod.get("securityContext") or {}).get("seccompProfile") or {}
    c.check(seccomp == {"type": "Localhost", "localhostProfile": "grader-seccomp.json"},
            f"{name}: the grading pod's seccomp profile is Localhost grader-seccomp.json: "
            f"{seccomp}")
    inits = pod.get("initContainers") or []
    def script(container):
        return " ".join(map(str, (container.get("command") or []) + (container.get("args") or [])))

    c.check(any(script(i).endswith("grader doctor --strict") for i in inits),
            f"{name}: an init container runs grader doctor --strict (it fails unless the "
            f"sandbox can be built)")
    containers = pod.get("containers") or []
    c.check(any("--shard auto/" in script(x) for x in containers),
            f"{name}: the grader shards by the completion index (--shard auto/N)")
    for container in inits + containers:
        where = f"{name}: container {container.get('name')}"
        context = container.get("securityContext") or {}
        caps = context.get("capabilities") or {}
        c.check(context.get("privileged") in (None, False), f"{where} is not privileged")
        c.check(context.get("allowPrivilegeEscalation") is False,
                f"{where}: allowPrivilegeEscalation: false")
        c.check(caps.get("drop") == ["ALL"]
                and sorted(caps.get("add") or []) == ["SETGID", "SETUID"],
                f"{where}: drops every capability but SETUID and SETGID: {caps}")
        c.check(context.get("procMount") == "Unmasked", f"{where}: procMount: Unmasked")
    for document in documents:
        for container in (document.get("spec", {}).get("template", {}).get("spec", {})
                          .get("containers") or []):
            c.check(not (container.get("securityContext") or {}).get("privileged"),
                    f"{name}: {container.get('name')} is not privileged")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parents[2]))
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker(verbose=True)

    if not c.check(UNISTD.exists(), f"{UNISTD} exists (linux-libc-dev)"):
        return c.finish()
    table = syscall_table()
    profile_path = root / "integrations" / "seccomp" / "grader-seccomp.json"
    committed = profile_path.read_text() if profile_path.exists() else ""
    if not c.check(bool(committed), f"{profile_path} exists"):
        return c.finish()
    try:
        profile = json.loads(committed)
    except json.JSONDecodeError as e:
        c.check(False, f"grader-seccomp.json is not JSON: {e}")
        return c.finish()
    c.check(True, "grader-seccomp.json parses as JSON")
    generator = load_generator(root / "integrations" / "seccomp" / "make_profile.py")

    entries = check_format(c, profile)
    check_names(c, entries, table, libseccomp())
    check_generated(c, root, committed)
    check_launcher(c, root, entries, table, generator)
    check_withheld(c, entries, table, generator)
    check_kubernetes(c, root)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
