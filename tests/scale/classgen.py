"""Generates a class of backprop submissions (C++ and Python, correct and mistaken, each with
distinct content) for the scale tests and the benchmark. Importable; also a command:

    python3 tests/scale/classgen.py OUT_DIR N [--root REPO]
"""

import argparse
import pathlib
import shutil

# Textbook implementations, one function at a time, with the classic mistakes as variants.
CPP_PARTS = {
    "forward": {
        "ok": "double forward(double w, double x, double b) { return sig(w * x + b); }",
        "no-bias": "double forward(double w, double x, double b) { (void)b; return sig(w * x); }",
    },
    "loss": {
        "ok": "double loss(double p, double t) { return (p - t) * (p - t); }",
        "absolute": "double loss(double p, double t) { return std::fabs(p - t); }",
    },
    "gradient": {
        "ok": "double gradient(double w, double x, double b, double t) {\n"
              "  const double s = sig(w * x + b);\n"
              "  return 2.0 * (s - t) * s * (1.0 - s) * x;\n}",
        "factor-2": "double gradient(double w, double x, double b, double t) {\n"
                    "  const double s = sig(w * x + b);\n"
                    "  return (s - t) * s * (1.0 - s) * x;\n}",
        "sign": "double gradient(double w, double x, double b, double t) {\n"
                "  const double s = sig(w * x + b);\n"
                "  return -2.0 * (s - t) * s * (1.0 - s) * x;\n}",
    },
    "update_weight": {
        "ok": "double update_weight(double w, double g, double lr) { return w - lr * g; }",
        "adds": "double update_weight(double w, double g, double lr) { return w + lr * g; }",
    },
}

PY_PARTS = {
    "forward": {
        "ok": "def forward(weight, input, bias):\n    return sig(weight * input + bias)\n",
        "no-bias": "def forward(weight, input, bias):\n    return sig(weight * input)\n",
    },
    "loss": {
        "ok": "def loss(prediction, target):\n    return (prediction - target) ** 2\n",
        "absolute": "def loss(prediction, target):\n    return abs(prediction - target)\n",
    },
    "gradient": {
        "ok": "def gradient(weight, input, bias, target):\n"
              "    s = sig(weight * input + bias)\n"
              "    return 2.0 * (s - target) * s * (1.0 - s) * input\n",
        "factor-2": "def gradient(weight, input, bias, target):\n"
                    "    s = sig(weight * input + bias)\n"
                    "    return (s - target) * s * (1.0 - s) * input\n",
        "sign": "def gradient(weight, input, bias, target):\n"
                "    s = sig(weight * input + bias)\n"
                "    return -2.0 * (s - target) * s * (1.0 - s) * input\n",
    },
    "update_weight": {
        "ok": "def update_weight(weight, gradient, learning_rate):\n"
              "    return weight - learning_rate * gradient\n",
        "adds": "def update_weight(weight, gradient, learning_rate):\n"
                "    return weight + learning_rate * gradient\n",
    },
}

# (name, choice per task or a special kind); cycled through by make_class.
VARIANTS = [
    ("correct", {}),
    ("gradient-factor-2", {"gradient": "factor-2"}),
    ("reference", "reference"),
    ("forward-no-bias", {"forward": "no-bias"}),
    ("loss-absolute", {"loss": "absolute"}),
    ("update-adds", {"update_weight": "adds"}),
    ("gradient-sign", {"gradient": "sign"}),
    ("two-mistakes", {"loss": "absolute", "update_weight": "adds"}),
    ("missing-function", "missing"),
    ("build-error", "error"),
]


def cpp_source(student, variant, root):
    name, choice = variant
    header = f"// submission of student {student} ({name})\n"
    if choice == "reference":
        return header + (root / "reference/backprop/solution.cpp").read_text()
    if choice == "error":
        return header + "double forward(double w, double x, double b) { return w * x + b }\n"
    body = [header, "#include <cmath>\n",
            "static double sig(double z) { return 1.0 / (1.0 + std::exp(-z)); }\n"]
    for task, options in CPP_PARTS.items():
        if choice == "missing" and task == "update_weight":
            continue
        body.append(options[(choice if isinstance(choice, dict) else {}).get(task, "ok")] + "\n")
    return "".join(body)


def py_source(student, variant, root):
    name, choice = variant
    header = f"# submission of student {student} ({name})\n"
    if choice == "reference":
        return header + (root / "reference/backprop/solution.py").read_text()
    if choice == "error":
        return header + "def forward(weight, input, bias)\n    return 0\n"
    body = [header, "import math\n\n\ndef sig(z):\n    return 1.0 / (1.0 + math.exp(-z))\n\n\n"]
    for task, options in PY_PARTS.items():
        if choice == "missing" and task == "update_weight":
            continue
        body.append(options[(choice if isinstance(choice, dict) else {}).get(task, "ok")] + "\n\n")
    return "".join(body)


def make_class(out_dir, n, root, languages=("cpp", "python"), first=0):
    """Writes n submissions s000-..., alternating languages, cycling through VARIANTS, each
    a folder with main.cpp or main.py. Returns their ids in batch order."""
    out_dir = pathlib.Path(out_dir)
    root = pathlib.Path(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(first, first + n):
        language = languages[i % len(languages)]
        # Steps of 3 through the 10 variants: every 10 submissions of a language see them all.
        variant = VARIANTS[(i // len(languages) * 3) % len(VARIANTS)]
        sid = f"s{i:03d}-{language}-{variant[0]}"
        folder = out_dir / sid
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        if language == "cpp":
            (folder / "main.cpp").write_text(cpp_source(i, variant, root))
        else:
            (folder / "main.py").write_text(py_source(i, variant, root))
        ids.append(sid)
    return sorted(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("n", type=int)
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parents[2]))
    args = parser.parse_args()
    for sid in make_class(args.out_dir, args.n, args.root):
        print(sid)


if __name__ == "__main__":
    main()
