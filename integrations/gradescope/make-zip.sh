#!/usr/bin/env bash
# Builds autograder.zip for Gradescope ("Configure Autograder" -> upload): setup.sh and
# run_autograder at the root of the archive, with the grader's sources beside them (the build
# files, grader/, exercises/ and reference/), which setup.sh builds on Gradescope's image.
#
# Usage: integrations/gradescope/make-zip.sh [OUTPUT]   (default: ./autograder.zip)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
output="$(python3 -c 'import os, sys; print(os.path.abspath(sys.argv[1]))' "${1:-autograder.zip}")"

python3 - "$repo" "$here" "$output" <<'PY'
import os, stat, sys, zipfile

repo, here, output = sys.argv[1:4]
# (source, name in the archive); folders are added recursively, build trees and caches left out.
entries = [(os.path.join(here, "setup.sh"), "setup.sh"),
           (os.path.join(here, "run_autograder"), "run_autograder"),
           (os.path.join(here, "README.md"), "GRADESCOPE.md"),
           (os.path.join(repo, "CMakeLists.txt"), "CMakeLists.txt")]
for folder in ("grader", "exercises", "reference"):
    entries.append((os.path.join(repo, folder), folder))
skip_dirs = {"__pycache__", ".git"}


def add(zf, path, name):
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible archive
    mode = os.stat(path).st_mode
    info.external_attr = ((0o755 if mode & stat.S_IXUSR else 0o644) | stat.S_IFREG) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(path, "rb") as f:
        zf.writestr(info, f.read())


tmp = output + ".tmp"
with zipfile.ZipFile(tmp, "w") as zf:
    for source, name in entries:
        if os.path.isfile(source):
            add(zf, source, name)
            continue
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in skip_dirs and not d.startswith("build"))
            for filename in sorted(filenames):
                if filename.endswith(".pyc"):
                    continue
                path = os.path.join(dirpath, filename)
                add(zf, path, os.path.join(name, os.path.relpath(path, source)))
os.replace(tmp, output)
print(f"wrote {output}")
PY
