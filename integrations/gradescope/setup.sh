#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image: it installs the
# build dependencies and builds the grader from the sources shipped in the zip, which Gradescope
# unpacks into /autograder/source (this script's folder).
#
# Choose the "Ubuntu 24.04" base image in the autograder settings: its packages (CMake 3.28,
# fmt 9, CLI11 2.4, nlohmann-json 3.11, Boost 1.83) are the ones this code is built with. On an
# older image a recent CMake is installed with pip when the packaged one is too old.
set -euo pipefail

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

apt-get update
apt-get install -y --no-install-recommends \
  build-essential g++ cmake pkg-config python3 \
  libboost-dev libboost-filesystem-dev nlohmann-json3-dev libfmt-dev libcli11-dev libseccomp-dev \
  libsqlite3-dev libarchive-dev libcpp-httplib-dev python3-numpy

# The top-level CMakeLists.txt needs CMake 3.25.
cmake_ok() {
  python3 - "$(cmake --version | head -n1 | awk '{print $3}')" <<'PY'
import sys
major, minor = (int(x) for x in sys.argv[1].split(".")[:2])
sys.exit(0 if (major, minor) >= (3, 25) else 1)
PY
}
if ! cmake_ok; then
  echo "setup.sh: packaged CMake is older than 3.25; installing one with pip" >&2
  apt-get install -y --no-install-recommends python3-pip
  python3 -m pip install --break-system-packages 'cmake>=3.25' 2>/dev/null ||
    python3 -m pip install 'cmake>=3.25'
  hash -r
fi

cmake -S "$source_dir" -B "$source_dir/build" -DCMAKE_BUILD_TYPE=Release \
  -DGRADER_BUILD_TESTS=OFF -DGRADER_BUILD_BENCH=OFF
cmake --build "$source_dir/build" -j"$(nproc)" --target grader grader-box

# What isolation the image offers; shown in the image build log. Grading refuses to run
# untrusted code without a sandbox unless run_autograder is told otherwise (see README.md).
"$source_dir/build/bin/grader" doctor || true
