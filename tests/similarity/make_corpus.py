#!/usr/bin/env python3
"""Generates a class of backprop submissions, C++ and Python, with known copies.

    make_corpus.py --seed N --out DIR [--per-language N] [--families N] [--alike N]

Writes DIR/submissions/<id>/main.cpp or DIR/submissions/<id>.py and DIR/labels.json.

Every student is written independently from a model of the exercise: each of the four functions
in one of several shapes (the lesson's formula, a temporary variable, a helper sigmoid, steps of
the chain rule...), correct or with one of the known mistakes, in the student's own names,
comments, layout and function order, and with or without code of their own (a training loop,
a finite-difference check, a learning-rate schedule, a test printout...), each of those with
its own inner variations.

Planted copies ("families"): an original student with code of their own, and one to three
copies of it, each disguised by several of: identifiers renamed, functions reordered, comments
and whitespace changed, statements split or merged, dead code inserted. Every pair within a
family is a copy.

Planted look-alikes ("alike"): two independent students forced to write the four functions in
the same shapes, with their own names, layout and extras; alike only because the exercise is
small. They must not be flagged; neither must any other pair of independent students.

An original is drawn among students who wrote code of their own: a copy of nothing but the four
one-line functions in the commonest shape cannot be told from independent work by any tool, so
it is not a planted copy.

labels.json: {"seed", "submissions": {id: language}, "families": [[ids]], "alike": [[a, b]]}.
Only the standard library is used; the same seed gives the same corpus.
"""

import argparse
import json
import os
import random
import re
import shutil

API = {"forward", "loss", "gradient", "update_weight", "main"}

NAME_POOL = [
    "w", "wt", "weight", "wgt", "x", "xi", "inp", "value", "feature", "b", "bias", "offset",
    "t", "y", "target", "label", "truth", "p", "pred", "prediction", "out", "output", "yhat",
    "s", "sig", "act", "activation", "a", "z", "pre", "logit", "net", "g", "grad", "dw",
    "slope", "lr", "eta", "alpha", "rate", "step", "d", "diff", "delta", "err", "error", "e",
    "tmp", "temp", "res", "result", "ret", "val", "h", "eps", "k", "i", "n", "epoch", "it",
    "iters", "count", "total", "acc", "sum", "avg", "mean", "lo", "hi", "lower", "upper", "c",
    "q", "u", "v", "m", "r", "f", "fx", "gx", "hx", "cur", "prev", "nxt", "new_w", "old_w",
]

# ---------------------------------------------------------------------------------------------
# The program model. Expressions are strings in a small language shared by both outputs:
# identifiers that a student names are written $name, EXP(e) POW(e, n) ABS(e) TANH(e) are the
# maths functions, everything else (numbers, + - * / ( ) < > == , calls of the API) is common.
# Statements are tuples:
#   ("decl", var, expr)          double var = expr;      var = expr
#   ("set", var, expr)           var = expr;
#   ("ret", expr)
#   ("expr", expr)
#   ("print", [items])           items: expressions, or ("str", text)
#   ("for", var, count, body)    for (int var = 0; var < count; ++var)   for var in range(count)
#   ("if", cond, body, orelse)
#   ("comment", text)
# A function is a dict: name, params, body, comment, kind ("double" / "main" / "void").
# ---------------------------------------------------------------------------------------------


def fn(name, params, body, comment=None, kind="double"):
    return {"name": name, "params": list(params), "body": list(body), "comment": comment,
            "kind": kind}


def sigmoid_helper(r):
    if r.random() < 0.7:
        body = [("ret", "1.0 / (1.0 + EXP(-$z))")]
    else:
        body = [("if", "$z >= 0", [("decl", "$e", "EXP(-$z)"), ("ret", "1.0 / (1.0 + $e)")], None),
                ("decl", "$e", "EXP($z)"), ("ret", "$e / (1.0 + $e)")]
    return fn("$sigmoid", ["$z"], body, r.choice([None, "logistic function", "sigmoid"]))


def forward_variant(r, style, mistake):
    inner = "$w * $x + $b" if mistake != "no_bias" else "$w * $x"
    if mistake == "tanh":
        return [("ret", f"TANH({inner})")]
    return {
        "inline": [("ret", f"1.0 / (1.0 + EXP(-({inner})))")],
        "temp": [("decl", "$z", inner), ("ret", "1.0 / (1.0 + EXP(-$z))")],
        "helper": [("ret", f"$sigmoid({inner})")],
        "helper_temp": [("decl", "$z", inner), ("ret", "$sigmoid($z)")],
        "exp_temp": [("decl", "$z", inner), ("decl", "$e", "EXP(-$z)"), ("ret", "1.0 / (1.0 + $e)")],
        "ratio": [("decl", "$e", f"EXP({inner})"), ("ret", "$e / (1.0 + $e)")],
    }[style]


def loss_variant(r, style, mistake):
    if mistake == "absolute":
        return [("ret", "ABS($p - $t)")]
    if mistake == "not_squared":
        return [("ret", "$p - $t")]
    return {
        "product": [("ret", "($p - $t) * ($p - $t)")],
        "pow": [("ret", "POW($p - $t, 2)")],
        "diff": [("decl", "$d", "$p - $t"), ("ret", "$d * $d")],
        "diff_rev": [("decl", "$d", "$t - $p"), ("ret", "$d * $d")],
    }[style]


def gradient_variant(r, style, mistake):
    two = "" if mistake == "missing_factor_2" else "2.0 * "
    sign = "($t - $s)" if mistake == "sign" else "($s - $t)"
    deriv = "1.0" if mistake == "missing_derivative" else "$s * (1.0 - $s)"
    return {
        "inline": [("decl", "$s", "forward($w, $x, $b)"), ("ret", f"{two}{sign} * {deriv} * $x")],
        "helper": [("decl", "$s", "$sigmoid($w * $x + $b)"), ("ret", f"{two}{sign} * {deriv} * $x")],
        "steps": [("decl", "$s", "forward($w, $x, $b)"), ("decl", "$dl", f"{two}{sign}"),
                  ("decl", "$ds", deriv), ("ret", "$dl * $ds * $x")],
        "chain": [("decl", "$z", "$w * $x + $b"), ("decl", "$s", "1.0 / (1.0 + EXP(-$z))"),
                  ("decl", "$dl", f"{two}{sign}"), ("decl", "$dz", f"$dl * {deriv}"),
                  ("ret", "$dz * $x")],
        "calls": [("ret", f"{two}(forward($w, $x, $b) - $t) * forward($w, $x, $b) * "
                          "(1.0 - forward($w, $x, $b)) * $x")
                  if mistake not in ("sign", "missing_derivative") else
                  ("ret", f"{two}{sign.replace('$s', 'forward($w, $x, $b)')} * $x")],
    }[style]


def update_variant(r, style, mistake):
    op = "+" if mistake == "update_sign" else "-"
    return {
        "inline": [("ret", f"$w {op} $lr * $g")],
        "temp": [("decl", "$n", f"$w {op} $lr * $g"), ("ret", "$n")],
        "step": [("decl", "$st", "$lr * $g"), ("ret", f"$w {op} $st")],
    }[style]


# Shapes and their weights: the lesson's way first, as most students write it.
FORWARD = [("temp", 5), ("inline", 4), ("helper", 2), ("helper_temp", 2), ("exp_temp", 1),
           ("ratio", 1)]
LOSS = [("product", 5), ("pow", 4), ("diff", 3), ("diff_rev", 1)]
GRADIENT = [("inline", 5), ("steps", 3), ("helper", 2), ("chain", 2), ("calls", 1)]
UPDATE = [("inline", 8), ("temp", 2), ("step", 2)]
MISTAKES = {"forward": ["tanh", "no_bias"], "loss": ["absolute", "not_squared"],
            "gradient": ["missing_factor_2", "sign", "missing_derivative"],
            "update_weight": ["update_sign"]}


def weighted(r, options):
    total = sum(w for _, w in options)
    pick = r.uniform(0, total)
    for value, w in options:
        pick -= w
        if pick <= 0:
            return value
    return options[-1][0]


def rnum(r, choices):
    return r.choice(choices)


# ---- extras: code of the student's own, each with inner variations ----

def extra_training_main(r):
    epochs = rnum(r, ["10", "20", "50", "100", "200", "500", "1000"])
    body = [("decl", "$w0", rnum(r, ["0.5", "0.1", "-0.3", "1.0", "0.0", "2.0"])),
            ("decl", "$x0", rnum(r, ["1.5", "2.0", "0.8", "-1.0", "3.0"])),
            ("decl", "$b0", rnum(r, ["0.3", "0.0", "-0.5", "0.1"])),
            ("decl", "$t0", rnum(r, ["1.0", "0.0", "0.25", "0.8"])),
            ("decl", "$rate", rnum(r, ["0.1", "0.5", "0.01", "0.05", "1.0"]))]
    loop = [("decl", "$gv", "gradient($w0, $x0, $b0, $t0)"), ("set", "$w0", "update_weight($w0, $gv, $rate)")]
    if r.random() < 0.6:
        every = rnum(r, ["10", "5", "50", "100"])
        loop.append(("if", f"$ep % {every} == 0",
                     [("print", [("str", r.choice(["epoch", "step", "iter"])), "$ep",
                                 ("str", r.choice(["loss", "cost", "L"])),
                                 "loss(forward($w0, $x0, $b0), $t0)"])], None))
    if r.random() < 0.4:
        body.append(("decl", "$best", "1000000.0"))
        loop.append(("decl", "$cur", "loss(forward($w0, $x0, $b0), $t0)"))
        loop.append(("if", "$cur < $best", [("set", "$best", "$cur")], None))
    body.append(("for", "$ep", epochs, loop))
    body.append(("print", [("str", r.choice(["final weight", "w =", "trained:"])), "$w0"]))
    if r.random() < 0.5:
        body.append(("print", [("str", "prediction"), "forward($w0, $x0, $b0)"]))
    return [fn("main", [], body, r.choice([None, "train the neuron", "quick demo"]), kind="main")]


def extra_numeric_check(r):
    h = rnum(r, ["1e-6", "1e-5", "0.0001", "1e-7"])
    if r.random() < 0.5:
        body = [("decl", "$h", h), ("decl", "$up", "loss(forward($w + $h, $x, $b), $t)"),
                ("decl", "$down", "loss(forward($w - $h, $x, $b), $t)"),
                ("ret", "($up - $down) / (2.0 * $h)")]
    else:
        body = [("decl", "$h", h), ("decl", "$base", "loss(forward($w, $x, $b), $t)"),
                ("decl", "$moved", "loss(forward($w + $h, $x, $b), $t)"),
                ("ret", "($moved - $base) / $h")]
    check = fn("$numeric_gradient", ["$w", "$x", "$b", "$t"], body,
               r.choice([None, "finite differences", "check the gradient numerically"]))
    out = [check]
    if r.random() < 0.6:
        cases = r.sample(["0.5, 1.5, 0.3, 1.0", "-1.0, 2.0, 0.0, 0.0", "2.0, -0.5, 0.1, 0.5",
                          "0.1, 0.1, 0.1, 0.1", "1.0, 1.0, 1.0, 1.0"], 2)
        vbody = []
        for c in cases:
            vbody.append(("print", [("str", r.choice(["analytic", "grad"])), f"gradient({c})",
                                    ("str", r.choice(["numeric", "fd"])), f"$numeric_gradient({c})"]))
        out.append(fn("$verify", [], vbody, None, kind="void"))
    return out


def extra_schedule(r):
    if r.random() < 0.5:
        body = [("ret", f"$lr0 / (1.0 + {rnum(r, ['0.01', '0.1', '0.001'])} * $ep)")]
        params = ["$lr0", "$ep"]
    else:
        body = [("decl", "$factor", rnum(r, ["0.5", "0.9", "0.99"])), ("decl", "$res", "$lr0"),
                ("for", "$i", rnum(r, ["3", "5", "10"]), [("set", "$res", "$res * $factor")]),
                ("ret", "$res")]
        params = ["$lr0"]
    return [fn("$schedule", params, body, r.choice([None, "learning rate decay"]))]


def extra_clamp(r):
    body = [("if", "$v < $lo", [("ret", "$lo")], None), ("if", "$v > $hi", [("ret", "$hi")], None),
            ("ret", "$v")]
    if r.random() < 0.4:
        body = [("if", "$v < $lo", [("ret", "$lo")], [("if", "$v > $hi", [("ret", "$hi")], None)]),
                ("ret", "$v")]
    return [fn("$clamp", ["$v", "$lo", "$hi"], body, r.choice([None, "keep within bounds"]))]


def extra_batch_loss(r):
    n = rnum(r, ["3", "4", "5", "8"])
    body = [("decl", "$total", "0.0"),
            ("for", "$i", n, [("decl", "$xi", f"$x0 + {rnum(r, ['0.5', '0.25', '1.0'])} * $i"),
                              ("set", "$total", "$total + loss(forward($w, $xi, $b), $t)")])]
    body.append(("ret", f"$total / {n}.0") if r.random() < 0.6 else ("ret", "$total"))
    return [fn("$batch_loss", ["$w", "$x0", "$b", "$t"], body,
               r.choice([None, "mean loss over a few inputs", "average error"]))]


def extra_train_fn(r):
    body = [("decl", "$cur", "$w")]
    loop = [("set", "$cur", "update_weight($cur, gradient($cur, $x, $b, $t), $lr)")]
    if r.random() < 0.5:
        loop.append(("if", "ABS(gradient($cur, $x, $b, $t)) < 1e-9", [("ret", "$cur")], None))
    body.append(("for", "$i", "$n", loop))
    body.append(("ret", "$cur"))
    return [fn("$train", ["$w", "$x", "$b", "$t", "$lr", "$n"], body,
               r.choice([None, "gradient descent, n steps", "repeat the update"]))]


def extra_report(r):
    lines = r.sample([
        ("print", [("str", "forward"), "forward(0.5, 1.5, 0.3)"]),
        ("print", [("str", "loss"), "loss(0.7, 1.0)"]),
        ("print", [("str", "gradient"), "gradient(0.5, 1.5, 0.3, 1.0)"]),
        ("print", [("str", "update"), "update_weight(0.5, 0.3, 0.1)"]),
        ("print", [("str", "sigmoid(0)"), "forward(0.0, 0.0, 0.0)"]),
        ("print", [("str", "loss at target"), "loss(0.25, 0.25)"]),
    ], r.randint(3, 5))
    return [fn("$show_examples", [], lines, r.choice([None, "print the lesson's examples"]),
               kind="void")]


EXTRAS = [extra_training_main, extra_numeric_check, extra_schedule, extra_clamp,
          extra_batch_loss, extra_train_fn, extra_report]

NUMBERS = ["0.5", "2.0", "0.1", "1.0", "3.0", "0.25", "10.0", "0.001", "4.0", "1.5"]
API_CALLS = [("forward", 3), ("loss", 2), ("gradient", 4), ("update_weight", 3)]


def random_expr(r, names, size):
    """A random arithmetic expression over `names`, numbers and calls of the API."""
    if size <= 1:
        pick = r.random()
        if pick < 0.55 and names:
            return r.choice(names)
        if pick < 0.85:
            return r.choice(NUMBERS)
        name, arity = r.choice(API_CALLS)
        return f"{name}({', '.join(random_expr(r, names, 1) for _ in range(arity))})"
    left = r.randint(1, size - 1)
    text = f"{random_expr(r, names, left)} {r.choice('+-*/')} {random_expr(r, names, size - left)}"
    return f"({text})" if r.random() < 0.3 else text


def random_statements(r, names, count, fresh):
    """`count` statements a student might add: temporaries, prints, checks, small loops."""
    out = []
    for _ in range(count):
        kind = r.random()
        if kind < 0.4:
            var = f"$v{fresh[0]}"
            fresh[0] += 1
            out.append(("decl", var, random_expr(r, names, r.randint(2, 5))))
            names = names + [var]
        elif kind < 0.65:
            items = [("str", r.choice(["value", "check", "debug", "result", "here", "x ="]))]
            items += [random_expr(r, names, r.randint(1, 3)) for _ in range(r.randint(1, 2))]
            out.append(("print", items))
        elif kind < 0.85:
            cond = f"{random_expr(r, names, r.randint(1, 2))} {r.choice(['<', '>', '=='])} " \
                   f"{random_expr(r, names, 1)}"
            out.append(("if", cond, [("print", [("str", r.choice(["warning", "odd", "big"])),
                                                random_expr(r, names, 2)])], None))
        else:
            var = f"$v{fresh[0]}"
            fresh[0] += 1
            out.append(("for", var, r.choice(["2", "3", "5"]),
                        [("print", [random_expr(r, names + [var], r.randint(1, 3))])]))
    return out


def personalise(r, func):
    """Adds a few statements of the student's own to an extra function, before its return."""
    fresh = [0]
    names = list(func["params"]) + [st[1] for st in func["body"] if st[0] == "decl"]
    extra = random_statements(r, names, r.randint(1, 4), fresh)
    body = func["body"]
    end = len(body) - 1 if body and body[-1][0] == "ret" else len(body)
    for st in extra:
        at = r.randint(0, end)
        body.insert(at, st)
        end += 1
    return func


# ---- a student ----

def make_student(r, language, shapes=None, extras=None):
    """A student's program: a dict with language, functions (in order), style."""
    if shapes is None:
        shapes = {"forward": weighted(r, FORWARD), "loss": weighted(r, LOSS),
                  "gradient": weighted(r, GRADIENT), "update_weight": weighted(r, UPDATE)}
    mistakes = {}
    if r.random() < 0.35:  # an incorrect solution: one mistake in one function
        task = r.choice(list(MISTAKES))
        mistakes[task] = r.choice(MISTAKES[task])
    funcs = [
        fn("forward", ["$w", "$x", "$b"],
           forward_variant(r, shapes["forward"], mistakes.get("forward")),
           r.choice([None, "Task 1: forward pass", "sigmoid of the weighted input", "prediction"])),
        fn("loss", ["$p", "$t"], loss_variant(r, shapes["loss"], mistakes.get("loss")),
           r.choice([None, "Task 2: squared error", "loss"])),
        fn("gradient", ["$w", "$x", "$b", "$t"],
           gradient_variant(r, shapes["gradient"], mistakes.get("gradient")),
           r.choice([None, "Task 3: chain rule", "d loss / d weight", "derivative"])),
        fn("update_weight", ["$w", "$g", "$lr"],
           update_variant(r, shapes["update_weight"], mistakes.get("update_weight")),
           r.choice([None, "Task 4: gradient descent step", "update"])),
    ]
    helpers = []
    if "helper" in shapes["forward"] or shapes["gradient"] == "helper":
        helpers.append(sigmoid_helper(r))
    if extras is None:
        count = weighted(r, [(0, 3), (1, 3), (2, 3), (3, 1)])
        extras = r.sample(EXTRAS, count)
    own = []
    for make in extras:
        own.extend(personalise(r, f) for f in make(r))
    mains = [f for f in own if f["kind"] == "main"]
    others = [f for f in own if f["kind"] != "main"]
    if r.random() < 0.85:
        order = helpers + funcs + others
    else:
        order = helpers + funcs + others
        r.shuffle(order)
    order += mains
    return {"language": language, "functions": order, "style": random_style(r, language),
            "names": random_names(r), "extras": len(own)}


def random_style(r, language):
    return {"indent": r.choice([2, 4, 4, 4] if language == "python" else [2, 4, 4, "\t"]),
            "brace_next_line": r.random() < 0.3, "compact": r.random() < 0.25,
            "blank_lines": r.choice([0, 1, 1, 2]), "comments": r.random() < 0.7,
            "header_include": r.random() < 0.5, "using_std": r.random() < 0.3,
            "printf": r.random() < 0.2, "float_literals": r.random() < 0.5,
            "py_main_guard": r.random() < 0.7, "from_math": r.random() < 0.3}


def random_names(r):
    """A renaming of every $name a student may use: each a plausible, distinct identifier."""
    names = {}
    used = set()
    return {"map": names, "used": used, "random": r}


def name_of(program, placeholder):
    names = program["names"]
    key = placeholder[1:]
    if key not in names["map"]:
        r = names["random"]
        base = key if r.random() < 0.35 and key not in names["used"] else r.choice(NAME_POOL)
        name = base
        while name in names["used"] or name in API or name in RESERVED:
            name = base + "_" + r.choice(["v", "val", str(r.randint(1, 9)), "x", "tmp"])
        names["map"][key] = name
        names["used"].add(name)
    return names["map"][key]


RESERVED = {"int", "double", "float", "for", "if", "else", "return", "void", "def", "in", "is",
            "and", "or", "not", "pass", "lambda", "print", "range", "math", "std", "exp", "pow",
            "abs", "tanh", "sum", "max", "min", "new", "delete", "class", "main", "char", "long",
            "short", "auto", "case", "do", "while", "try", "with", "from", "import", "as", "yield",
            "global", "True", "False", "None", "this", "cout", "endl", "printf", "float", "bool"}

# ---- rendering ----

OPS = re.compile(r"\s*(==|<=|>=|[-+*/%<>=])\s*")


def split_args(text):
    depth, parts, cur = 0, [], ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts]


def replace_calls(expr, name, render):
    while True:
        at = expr.find(name + "(")
        if at < 0:
            return expr
        start = at + len(name) + 1
        depth, end = 1, start
        while depth:
            depth += {"(": 1, ")": -1}.get(expr[end], 0)
            end += 1
        args = split_args(expr[start:end - 1])
        expr = expr[:at] + render(args) + expr[end:]


def render_expr(program, expr):
    lang, style = program["language"], program["style"]
    expr = re.sub(r"\$[a-z_0-9]+", lambda m: name_of(program, m.group(0)), expr)
    if lang == "cpp":
        pre = "" if style["using_std"] else "std::"
        expr = replace_calls(expr, "EXP", lambda a: f"{pre}exp({a[0]})")
        expr = replace_calls(expr, "POW", lambda a: f"{pre}pow({a[0]}, {a[1]})")
        expr = replace_calls(expr, "ABS", lambda a: f"{pre}fabs({a[0]})")
        expr = replace_calls(expr, "TANH", lambda a: f"{pre}tanh({a[0]})")
    else:
        pre = "" if style["from_math"] else "math."
        expr = replace_calls(expr, "EXP", lambda a: f"{pre}exp({a[0]})")
        expr = replace_calls(expr, "POW", lambda a: f"({a[0]}) ** {a[1]}")
        expr = replace_calls(expr, "ABS", lambda a: f"abs({a[0]})")
        expr = replace_calls(expr, "TANH", lambda a: f"{pre}tanh({a[0]})")
    if not style["float_literals"]:
        expr = re.sub(r"\b(\d+)\.0\b", r"\1", expr)
    if style["compact"]:
        expr = OPS.sub(lambda m: m.group(1), expr)
        expr = expr.replace(", ", ",")
    return expr


def cpp_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Writer:
    def __init__(self, program):
        self.p = program
        self.lines = []
        style = program["style"]
        self.unit = "\t" if style["indent"] == "\t" else " " * style["indent"]

    def line(self, depth, text):
        self.lines.append(self.unit * depth + text if text else "")


def cpp_block(w, depth, stmts):
    p = w.p
    for st in stmts:
        kind = st[0]
        if kind == "decl":
            w.line(depth, f"double {name_of(p, st[1])} = {render_expr(p, st[2])};")
        elif kind == "set":
            w.line(depth, f"{name_of(p, st[1])} = {render_expr(p, st[2])};")
        elif kind == "ret":
            w.line(depth, f"return {render_expr(p, st[1])};")
        elif kind == "expr":
            w.line(depth, f"{render_expr(p, st[1])};")
        elif kind == "comment":
            if p["style"]["comments"]:
                w.line(depth, f"// {st[1]}")
        elif kind == "print":
            items = [cpp_string(i[1]) if isinstance(i, tuple) else render_expr(p, i) for i in st[1]]
            if p["style"]["printf"]:
                fmt = " ".join("%s" if it.startswith('"') else "%g" for it in items)
                w.line(depth, 'printf("' + fmt + '\\n", ' + ", ".join(items) + ");")
            else:
                out = "cout" if p["style"]["using_std"] else "std::cout"
                w.line(depth, f"{out} << " + " << \" \" << ".join(items) + " << \"\\n\";")
        elif kind == "for":
            v = name_of(p, st[1])
            count = render_expr(p, st[2])
            head = f"for (int {v} = 0; {v} < {count}; ++{v})"
            cpp_braced(w, depth, head, st[3])
        elif kind == "if":
            cpp_braced(w, depth, f"if ({render_expr(p, st[1])})", st[2])
            if st[3]:
                cpp_braced(w, depth, "else", st[3])
        else:
            raise ValueError(kind)


def cpp_braced(w, depth, head, body):
    if w.p["style"]["brace_next_line"]:
        w.line(depth, head)
        w.line(depth, "{")
    else:
        w.line(depth, head + " {")
    cpp_block(w, depth + 1, body)
    w.line(depth, "}")


def render_cpp(program):
    w = Writer(program)
    style = program["style"]
    if style["header_include"]:
        w.line(0, '#include "backprop.hpp"')
    w.line(0, "#include <cmath>")
    if any(st for f in program["functions"] for st in walk(f["body"]) if st[0] == "print"):
        w.line(0, "#include <cstdio>" if style["printf"] else "#include <iostream>")
    if style["using_std"]:
        w.line(0, "using namespace std;")
    for f in program["functions"]:
        for _ in range(style["blank_lines"] or 1):
            w.line(0, "")
        if f["comment"] and style["comments"]:
            w.line(0, f"// {f['comment']}")
        if f["kind"] == "main":
            head = "int main()"
            body = f["body"] + [("ret", "0")]
        else:
            ret = "void" if f["kind"] == "void" else "double"
            params = ", ".join(f"double {name_of(program, x)}" for x in f["params"])
            fname = f["name"] if f["name"] in API else name_of(program, f["name"])
            head = f"{ret} {fname}({params})"
            body = f["body"]
        cpp_braced(w, 0, head, body)
    return "\n".join(w.lines).lstrip("\n") + "\n"


def py_block(w, depth, stmts):
    p = w.p
    wrote = False
    for st in stmts:
        kind = st[0]
        wrote = True
        if kind in ("decl", "set"):
            w.line(depth, f"{name_of(p, st[1])} = {render_expr(p, st[2])}")
        elif kind == "ret":
            w.line(depth, f"return {render_expr(p, st[1])}")
        elif kind == "expr":
            w.line(depth, render_expr(p, st[1]))
        elif kind == "comment":
            wrote = False
            if p["style"]["comments"]:
                w.line(depth, f"# {st[1]}")
        elif kind == "print":
            items = [repr(i[1]) if isinstance(i, tuple) else render_expr(p, i) for i in st[1]]
            w.line(depth, f"print({', '.join(items)})")
        elif kind == "for":
            w.line(depth, f"for {name_of(p, st[1])} in range({render_expr(p, st[2])}):")
            py_block(w, depth + 1, st[3])
        elif kind == "if":
            w.line(depth, f"if {render_expr(p, st[1])}:")
            py_block(w, depth + 1, st[2])
            if st[3]:
                w.line(depth, "else:")
                py_block(w, depth + 1, st[3])
        else:
            raise ValueError(kind)
    if not wrote:
        w.line(depth, "pass")


def render_python(program):
    w = Writer(program)
    style = program["style"]
    w.line(0, "from math import exp, tanh" if style["from_math"] else "import math")
    mains = []
    for f in program["functions"]:
        if f["kind"] == "main" and style["py_main_guard"]:
            mains.append(f)
            continue
        for _ in range(style["blank_lines"] or 1):
            w.line(0, "")
        if f["comment"] and style["comments"]:
            w.line(0, f"# {f['comment']}")
        fname = f["name"] if f["name"] in API else name_of(program, f["name"])
        params = ", ".join(name_of(program, x) for x in f["params"])
        w.line(0, f"def {fname}({params}):")
        py_block(w, 1, f["body"])
        if f["kind"] == "main":
            w.line(0, "")
            w.line(0, "main()")
    for f in mains:
        w.line(0, "")
        w.line(0, 'if __name__ == "__main__":')
        py_block(w, 1, f["body"])
    return "\n".join(w.lines) + "\n"


def walk(stmts):
    for st in stmts:
        yield st
        if st[0] == "for":
            yield from walk(st[3])
        elif st[0] == "if":
            yield from walk(st[2])
            if st[3]:
                yield from walk(st[3])


def render(program):
    return render_cpp(program) if program["language"] == "cpp" else render_python(program)


# ---- disguises of a copy ----

def clone(program, r):
    copy = json.loads(json.dumps({k: v for k, v in program.items() if k != "names"}))
    copy["functions"] = [dict(f, body=[to_tuple(s) for s in f["body"]]) for f in copy["functions"]]
    copy["names"] = {"map": dict(program["names"]["map"]), "used": set(program["names"]["used"]),
                     "random": r}
    return copy


def to_tuple(st):
    st = list(st)
    if st[0] == "print":
        st[1] = [tuple(i) if isinstance(i, list) else i for i in st[1]]
    if st[0] == "for":
        st[3] = [to_tuple(s) for s in st[3]]
    if st[0] == "if":
        st[2] = [to_tuple(s) for s in st[2]]
        st[3] = [to_tuple(s) for s in st[3]] if st[3] else None
    return tuple(st)


def rename_all(program, r):
    program["names"] = {"map": {}, "used": set(), "random": r}


def reorder(program, r):
    funcs = program["functions"]
    mains = [f for f in funcs if f["kind"] == "main"]
    rest = [f for f in funcs if f["kind"] != "main"]
    r.shuffle(rest)
    program["functions"] = rest + mains if r.random() < 0.7 else mains + rest


def restyle(program, r):
    style = program["style"]
    style["indent"] = r.choice([2, 4, 3] if program["language"] == "python" else [2, 4, 8, "\t"])
    style["brace_next_line"] = not style["brace_next_line"]
    style["compact"] = not style["compact"]
    style["blank_lines"] = r.choice([0, 1, 2, 3])
    style["comments"] = r.random() < 0.5
    for f in program["functions"]:
        f["comment"] = r.choice([None, "my own code", "helper", "see lecture notes",
                                 "this took a while", "TODO tidy up"])
        if r.random() < 0.3:
            f["body"] = [("comment", r.choice(["compute", "here", "step"]))] + f["body"]


LOWEST = [("+", "-"), ("*", "/")]


def top_level_split(expr):
    """Splits expr at its last top-level operator of lowest precedence: (left, op, right)."""
    for ops in LOWEST:
        depth, at = 0, -1
        for i, ch in enumerate(expr):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif depth == 0 and ch in ops and i > 0 and expr[i - 1] == " " and expr[i + 1:i + 2] == " ":
                at = i
        if at > 0:
            return expr[:at].strip(), expr[at], expr[at + 1:].strip()
    return None


def split_statements(program, r):
    counter = [0]

    def split(stmts):
        out = []
        for st in stmts:
            if st[0] in ("ret", "decl", "set") and r.random() < 0.6:
                expr = st[-1]
                parts = top_level_split(expr)
                if parts:
                    counter[0] += 1
                    tmp = f"$split{counter[0]}"
                    out.append(("decl", tmp, parts[0]))
                    out.append(st[:-1] + (f"{tmp} {parts[1]} {parts[2]}",))
                    continue
            if st[0] == "for":
                st = st[:3] + (split(st[3]),)
            out.append(st)
        return out

    for f in program["functions"]:
        f["body"] = split(f["body"])


def merge_statements(program, r):
    """Inlines a temporary into the statement that follows it, when that is its only use."""
    for f in program["functions"]:
        body = f["body"]
        i = 0
        while i + 1 < len(body):
            st, nxt = body[i], body[i + 1]
            if st[0] == "decl" and nxt[0] in ("ret", "decl", "set") and r.random() < 0.7:
                var = st[1]
                pattern = re.escape(var) + r"(?![a-z_0-9])"
                uses_next = len(re.findall(pattern, nxt[-1]))
                uses_rest = sum(len(re.findall(pattern, json.dumps(s))) for s in body[i + 2:])
                if uses_next == 1 and uses_rest == 0:
                    body[i + 1] = nxt[:-1] + (re.sub(pattern, f"({st[2]})", nxt[-1]),)
                    del body[i]
                    continue
            i += 1


def insert_dead_code(program, r):
    funcs = [f for f in program["functions"] if f["body"]]
    for f in r.sample(funcs, min(len(funcs), r.randint(1, 3))):
        dead = r.choice([
            [("decl", "$unused", "0.5 * 3.0")],
            [("if", "1 > 2", [("print", [("str", "never")])], None)],
            [("decl", "$junk", "0.0"), ("for", "$jj", "3", [("set", "$junk", "$junk + 1.0")])],
        ])
        at = r.randint(0, max(0, len(f["body"]) - 1))
        f["body"] = f["body"][:at] + dead + f["body"][at:]
    if r.random() < 0.5:
        program["functions"].insert(r.randint(0, len(program["functions"]) - 1),
                                    fn("$spare", ["$q"], [("ret", "$q * 2.0 + 1.0")], None))


DISGUISES = [rename_all, reorder, restyle, split_statements, merge_statements, insert_dead_code]


def disguise(program, r):
    copy = clone(program, r)
    chosen = r.sample(DISGUISES, r.randint(3, len(DISGUISES)))
    if rename_all not in chosen and r.random() < 0.8:
        chosen.append(rename_all)
    for step in DISGUISES:  # a fixed order: structure first, names last
        if step in chosen:
            step(copy, r)
    return copy, [s.__name__ for s in DISGUISES if s in chosen]


# ---- the corpus ----

def write_submission(root, sid, program):
    text = render(program)
    if program["language"] == "cpp":
        os.makedirs(os.path.join(root, sid), exist_ok=True)
        path = os.path.join(root, sid, "main.cpp")
    else:
        path = os.path.join(root, sid + ".py")
    with open(path, "w") as f:
        f.write(text)


def make_corpus(seed, out, per_language, families, alike):
    r = random.Random(seed)
    root = os.path.join(out, "submissions")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(root)
    labels = {"seed": seed, "submissions": {}, "families": [], "alike": [], "disguises": {}}
    serial = [0]

    def new_id(language):
        serial[0] += 1
        return f"{'c' if language == 'cpp' else 'p'}{serial[0]:04d}-{r.randint(0, 0xffff):04x}"

    for language in ("cpp", "python"):
        students = []
        for _ in range(per_language):
            program = make_student(r, language)
            sid = new_id(language)
            students.append((sid, program))
        for _ in range(alike):  # two independent students, the same four shapes
            shapes = {"forward": weighted(r, FORWARD), "loss": weighted(r, LOSS),
                      "gradient": weighted(r, GRADIENT), "update_weight": weighted(r, UPDATE)}
            pair = []
            for _ in range(2):
                program = make_student(r, language, shapes=shapes)
                sid = new_id(language)
                students.append((sid, program))
                pair.append(sid)
            labels["alike"].append(pair)
        originals = [s for s in students if s[1]["extras"] > 0]
        for sid, program in r.sample(originals, min(families, len(originals))):
            family = [sid]
            for _ in range(weighted(r, [(1, 6), (2, 3), (3, 1)])):
                copy, how = disguise(program, r)
                cid = new_id(language)
                students.append((cid, copy))
                family.append(cid)
                labels["disguises"][cid] = how
            labels["families"].append(family)
        for sid, program in students:
            write_submission(root, sid, program)
            labels["submissions"][sid] = language
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1, sort_keys=True)
    return labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-language", type=int, default=60, help="independent students")
    parser.add_argument("--families", type=int, default=10, help="planted copy families")
    parser.add_argument("--alike", type=int, default=6, help="planted look-alike pairs")
    args = parser.parse_args()
    labels = make_corpus(args.seed, args.out, args.per_language, args.families, args.alike)
    copies = sum(len(f) - 1 for f in labels["families"])
    print(f"{len(labels['submissions'])} submissions, {len(labels['families'])} families "
          f"({copies} copies), {len(labels['alike'])} look-alike pairs in {args.out}")


if __name__ == "__main__":
    main()
