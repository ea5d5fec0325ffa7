#!/usr/bin/env python3
"""The grader's own harnesses, run directly (outside the sandbox, on programs of this test) on
typed values: what each language hands to a function and what it reports back on the channel.

Uses `grader harness` to write the harnesses as backprop-network uses them (vectors and
matrices in and out). Python: lists, tuples, numpy arrays of one and two dimensions, float32
arrays, 0-d arrays, ragged lists, booleans or strings inside a list, a number where a vector is
declared. C++: parameters by value and by const reference, a ragged result. Ends with an
'N passed, N failed' line.
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from checker import Checker  # noqa: E402

PYTHON = "/usr/bin/python3"

# index function visibility kinds args...
CASES = """0 layer_forward v mvv:v [[0x1p-1,-0x1p+0],[0x1p-2,0x1p+1]] [0x1p-3,0x1p-4] [0x1p+0,0x1p-1]
1 output_delta v vv:v [0x1p-1,0x1p-2] [0x1p+0,0x0p+0]
2 hidden_delta v mvv:v [[0x1p+0,0x1p+1]] [0x1p-1] [0x1p-1,0x1p-2]
3 weight_gradient v vv:m [0x1p+0,0x1p+1] [0x1.8p+1,0x1p+2,0x1.4p+2]
"""


def channel_lines(argv, cwd):
    """Runs a harness with file descriptor 3 as a pipe; returns its lines."""
    read_fd, write_fd = os.pipe()
    # The shell puts the pipe on descriptor 3, where the protocol wants it.
    proc = subprocess.Popen(["/bin/sh", "-c", f'exec "$0" "$@" 3>&{write_fd}', *argv], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            pass_fds=(write_fd,))
    os.close(write_fd)
    data = b""
    while chunk := os.read(read_fd, 65536):
        data += chunk
    os.close(read_fd)
    err = proc.communicate(timeout=60)[1]
    return data.decode().splitlines(), err.decode()


def values(lines):
    """{index: (verb, rest)} of the result lines."""
    out = {}
    for line in lines:
        verb, _, rest = line.partition(" ")
        if verb in ("value", "bad_type", "exception", "missing"):
            index, _, tail = rest.partition(" ")
            out[int(index)] = (verb, tail)
    return out


PY_VARIANTS = {
    # name: (source of the four functions, {case: (verb, text)})
    "lists": ("""
def layer_forward(weights, biases, inputs):
    assert type(weights) is list and type(weights[0]) is list and type(inputs[0]) is float
    return [0.5, 0.25]
def output_delta(prediction, target):
    return (0.5, -1)
def hidden_delta(next_weights, next_delta, activation):
    return []
def weight_gradient(delta, inputs):
    return [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
""", {0: ("value", "[0x1.0000000000000p-1,0x1.0000000000000p-2]"),
      1: ("value", "[0x1.0000000000000p-1,-0x1.0000000000000p+0]"),
      2: ("value", "[]"),
      3: ("value", "[[0x1.0000000000000p+0,0x1.0000000000000p+1,0x1.8000000000000p+1],"
                   "[0x1.0000000000000p+2,0x1.4000000000000p+2,0x1.8000000000000p+2]]")}),
    "numpy": ("""
import numpy as np
def layer_forward(weights, biases, inputs):
    return np.array([0.5, 0.25])
def output_delta(prediction, target):
    return np.array([0.5, 0.25], dtype=np.float32)
def hidden_delta(next_weights, next_delta, activation):
    return np.float64(0.5)
def weight_gradient(delta, inputs):
    return np.outer(np.array(delta), np.array(inputs))
""", {0: ("value", "[0x1.0000000000000p-1,0x1.0000000000000p-2]"),
      1: ("value", "[0x1.0000000000000p-1,0x1.0000000000000p-2] float32"),
      2: ("value", "0x1.0000000000000p-1"),
      3: ("value", "[[0x1.8000000000000p+1,0x1.0000000000000p+2,0x1.4000000000000p+2],"
                   "[0x1.8000000000000p+2,0x1.0000000000000p+3,0x1.4000000000000p+3]]")}),
    "wrong": ("""
def layer_forward(weights, biases, inputs):
    return [0.5, True]
def output_delta(prediction, target):
    return "0.5"
def hidden_delta(next_weights, next_delta, activation):
    return [[[1.0]]]
def weight_gradient(delta, inputs):
    return [[1.0, 2.0], [3.0]]
""", {0: ("bad_type", "a list holding a bool"),
      1: ("bad_type", "str"),
      2: ("bad_type", "a list nested more than two levels deep"),
      3: ("value", "[[0x1.0000000000000p+0,0x1.0000000000000p+1],[0x1.8000000000000p+1]]")}),
    "huge": ("""
def layer_forward(weights, biases, inputs):
    return [[0.5] * 1000 for _ in range(200)]
def output_delta(prediction, target):
    return [[]] * 200000
def hidden_delta(next_weights, next_delta, activation):
    return [0.25] * 100001
def weight_gradient(delta, inputs):
    return [[0.5] * 100] * 100
""", {0: ("bad_type", "a list of more than 100000 numbers"),
      1: ("bad_type", "a list of more than 100000 numbers"),
      2: ("bad_type", "a list of more than 100000 numbers")}),
}

CPP_STUDENT = """
#include <vector>
using V = std::vector<double>;
using M = std::vector<V>;
V layer_forward(const M& weights, const V& biases, V inputs) {
  V out;
  for (std::size_t r = 0; r < weights.size(); ++r) {
    double z = biases[r];
    for (std::size_t c = 0; c < inputs.size(); ++c) z += weights[r][c] * inputs[c];
    out.push_back(z);
  }
  return out;
}
V output_delta(V prediction, V target) { return {prediction[0] - target[0], prediction[1] - target[1]}; }
M weight_gradient(const V& delta, const V& inputs) {
  M out(delta.size());
  for (std::size_t r = 0; r < delta.size(); ++r)
    for (std::size_t c = 0; c < inputs.size() - r; ++c) out[r].push_back(delta[r] * inputs[c]);
  return out;
}
"""


def check_site_path(c, work, argv, plain):
    """The launcher starts without `site` (-S) and takes sys.path from the sys-path file that
    compile_harness.py wrote with `site`; without that file it runs `site` itself. A numpy
    submission (numpy lives in dist-packages, which only `site` adds) shows which path ran."""
    site_path = work / ".grader" / "sys-path"
    with_site = subprocess.run([PYTHON, "-I", "-c", "import sys; print('\\0'.join(sys.path))"],
                               capture_output=True, text=True).stdout.rstrip("\n")
    c.check(site_path.read_text() == with_site,
            f"sys-path holds the interpreter's sys.path with site: {site_path.read_text()!r}")
    student = work / "main.py"
    kept = student.read_text()
    student.write_text(PY_VARIANTS["numpy"][0])
    with_numpy, err = channel_lines(argv, work)
    c.check(with_numpy[:1] == ["ready"] and with_numpy[-1:] == ["done"] and
            not any("numpy" in line and "error" in line.lower() for line in with_numpy),
            f"-S with sys-path: numpy imports: {with_numpy[:3]} {err}")
    recorded = site_path.read_bytes()
    stdlib_only = b"\0".join(p for p in recorded.split(b"\0") if b"packages" not in p)
    site_path.write_bytes(stdlib_only)
    without, err = channel_lines(argv, work)
    c.check(without != with_numpy, "sys-path is what the launcher uses: without dist-packages the "
            f"numpy submission fails: {without[:3]}")
    site_path.unlink()
    fallback, err = channel_lines(argv, work)
    c.check(fallback == with_numpy, f"no sys-path: the launcher runs site: {fallback[:3]} {err}")
    # exit() and quit() are there as site binds them: a student's exit(3) is a SystemExit.
    student.write_text("def layer_forward(weights, biases, inputs):\n    exit(3)\n")
    site_path.write_bytes(recorded)
    exits, err = channel_lines(argv, work)
    c.check(any("SystemExit" in line for line in exits) and
            not any("NameError" in line for line in exits),
            f"exit() without site is still the builtin: {exits[:3]} {err}")
    student.write_text(kept)
    c.check(channel_lines(argv, work)[0] == plain, "the launcher is back to the plain run")


def check_failed_load(c, harness_dir, tmp):
    """A file that fails to load is reported with the standard library's traceback, imported
    only then: a traceback.py of the submission beside it is not what formats it."""
    work = tmp / "failed-load"
    work.mkdir()
    (work / "main.py").write_text("import math\nraise ValueError('broken at import')\n")
    (work / "traceback.py").write_text(
        "import os\nos.write(3, b'student traceback ran\\n')\n"
        "def format_exception(*args):\n    return ['forged']\n")
    (work / "cases.txt").write_text(CASES)
    lines, err = channel_lines([PYTHON, "-I", "-B", str(harness_dir / "harness.py"),
                                str(work / "main.py"), str(work / "cases.txt")], work)
    c.check(len(lines) == 1 and lines[0].startswith("load_error ") and
            "Traceback (most recent call last)" in lines[0] and
            "ValueError: broken at import" in lines[0] and "main.py" in lines[0],
            f"a failed load is reported with its traceback: {lines} {err}")
    c.check(not any("student traceback ran" in line or "forged" in line for line in lines),
            f"the standard traceback formats it, not the submission's: {lines}")


def check_launcher(c, harness_dir, tmp):
    """The Python launcher runs the harness compiled once (compile_harness.py) only when that
    compiled file was made from this very harness by this interpreter; otherwise it compiles
    the harness itself. A forged file whose header matches proves which code ran."""
    work = tmp / "launch"
    (work / ".grader").mkdir(parents=True)
    (work / "main.py").write_text(PY_VARIANTS["lists"][0])
    (work / "cases.txt").write_text(CASES)
    harness = work / ".grader" / "harness.py"
    harness.write_text((harness_dir / "harness.py").read_text())
    compiled = work / ".grader" / "harness.pyc"
    launch = (harness_dir / "launch.py").read_text()
    compiler = (harness_dir / "compile_harness.py").read_text()
    argv = [PYTHON, "-I", "-S", "-B", "-c", launch, ".grader/harness.py", "main.py", "1",
            "main.py", "numpy", "cases.txt"]

    def run(label):
        return channel_lines(argv, work)

    # 1. No compiled harness: the source runs.
    plain, err = run("no .pyc")
    c.check(plain[:1] == ["ready"] and plain[-1:] == ["done"], f"launcher without .pyc: {plain} {err}")
    # 2. The compiled harness made by compile_harness.py: the same lines.
    made = subprocess.run([PYTHON, "-I", "-B", "-c", compiler, ".grader/harness.py",
                           ".grader/harness.pyc", ".grader/sys-path"], cwd=work,
                          capture_output=True, text=True)
    c.check(made.returncode == 0 and compiled.is_file(), f"compile_harness.py: {made.stderr}")
    lines, err = run("with .pyc")
    c.check(lines == plain, f"launcher with the compiled harness: {lines[:4]} {err}")
    check_site_path(c, work, argv, plain)
    # 3. A compiled file of other code under this harness's header is what runs: it is used.
    other = "import os\nos.write(3, b'compiled code ran\\n')\n"
    forged_source = work / "other.py"
    forged_source.write_text(other)
    subprocess.run([PYTHON, "-I", "-B", "-c", compiler, "other.py", "other.pyc"], cwd=work,
                   check=True)
    header = compiled.read_bytes()[:16]
    compiled.write_bytes(header + (work / "other.pyc").read_bytes()[16:])
    lines, err = run("forged .pyc")
    c.check(lines == ["compiled code ran"], f"launcher runs the compiled harness: {lines} {err}")
    # 4. The harness changed since it was compiled (its hash differs): the source runs.
    harness.write_text(harness.read_text() + "\n# changed\n")
    lines, err = run("stale .pyc")
    c.check(lines == plain, f"launcher ignores a .pyc of another source: {lines[:4]} {err}")
    # 5. Garbage, or a file of another interpreter (magic number), is ignored too.
    harness.write_text((harness_dir / "harness.py").read_text())
    forged_body = (work / "other.pyc").read_bytes()[16:]
    for label, data in (("garbage", b"\x00" * 40),
                        ("other magic", b"\xff\xff\r\n" + header[4:] + forged_body)):
        compiled.write_bytes(data)
        lines, err = run(label)
        c.check(lines == plain, f"launcher ignores a {label} .pyc: {lines[:4]} {err}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        run = subprocess.run([args.grader, "harness", "--exercise", "backprop-network",
                              "--exercises", str(pathlib.Path(args.root) / "exercises"),
                              "--output", str(tmp / "h")], capture_output=True, text=True)
        c.check(run.returncode == 0, f"grader harness: {run.stderr}")
        harness_dir = tmp / "h"
        (tmp / "cases.txt").write_text(CASES)

        for name, (source, want) in PY_VARIANTS.items():
            student = tmp / f"student_{name}.py"
            student.write_text(source)
            lines, err = channel_lines(
                [PYTHON, "-I", "-B", str(harness_dir / "harness.py"), str(student), "numpy",
                 str(tmp / "cases.txt")], tmp)
            got = values(lines)
            c.check(lines[:1] == ["ready"] and lines[-1:] == ["done"],
                    f"python {name}: ready ... done: {lines} {err}")
            for index, expected in want.items():
                c.check(got.get(index) == expected,
                        f"python {name}: case {index}: {got.get(index)} != {expected}")

        check_launcher(c, harness_dir, tmp)
        check_failed_load(c, harness_dir, tmp)

        # C++: by value and by const reference, a function left out, a ragged result.
        (tmp / "student.cpp").write_text(CPP_STUDENT)
        build = subprocess.run(
            ["g++", "-std=c++17", "-O1", "-ffp-contract=off", "-I", str(harness_dir),
             str(harness_dir / "harness.cpp"), str(tmp / "student.cpp"), "-o", str(tmp / "prog")],
            capture_output=True, text=True)
        c.check(build.returncode == 0, f"C++ harness builds with the student's file: {build.stderr}")
        if build.returncode == 0:
            lines, err = channel_lines([str(tmp / "prog"), str(tmp / "cases.txt")], tmp)
            got = values(lines)
            c.check(got.get(0) == ("value", "[0x1p-3,0x1.5p+0]"),
                    f"C++ layer_forward (const refs and a value): {got.get(0)} {err}")
            c.check(got.get(1) == ("value", "[-0x1p-1,0x1p-2]"), f"C++ output_delta: {got.get(1)}")
            c.check(got.get(2) == ("missing", ""), f"C++ hidden_delta left out: {got.get(2)}")
            c.check(got.get(3) == ("value", "[[0x1.8p+1,0x1p+2,0x1.4p+2],[0x1.8p+2,0x1p+3]]"),
                    f"C++ ragged weight_gradient as it is: {got.get(3)}")
            # A case line whose kinds differ from the harness's is the grader's fault.
            (tmp / "bad.txt").write_text("0 layer_forward v vvv:v [1] [1] [1]\n")
            bad = subprocess.run([str(tmp / "prog"), str(tmp / "bad.txt")], capture_output=True,
                                 text=True)
            c.check(bad.returncode == 2 and "malformed case line" in bad.stderr,
                    f"C++ refuses kinds it was not generated for: {bad.returncode} {bad.stderr}")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
