"""Model answer of the backprop-network exercise in Python (same numbers as solution.cpp).

Every weighted sum (W x + b in the forward pass, W_next^T delta_next in the
backward pass) is computed exactly with fractions and rounded once, so the
answer key does not depend on the order of the terms and keeps its digits when
the terms nearly cancel. Sigmoid never evaluates e**z for a large positive z.
The element-wise formulas are written in the same order as in solution.cpp.
"""
import math
from fractions import Fraction


def _sigmoid(z):
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _exact_dot(row, values, start=0.0):
    total = Fraction(start)
    for w, v in zip(row, values):
        total += Fraction(w) * Fraction(v)
    return float(total)


def layer_forward(weights, biases, inputs):
    return [_sigmoid(_exact_dot(row, inputs, b)) for row, b in zip(weights, biases)]


def output_delta(prediction, target):
    return [2.0 * (p - t) * (p * (1.0 - p)) for p, t in zip(prediction, target)]


def hidden_delta(next_weights, next_delta, activation):
    deltas = []
    for j, a in enumerate(activation):
        column = [row[j] for row in next_weights]
        deltas.append(_exact_dot(column, next_delta) * (a * (1.0 - a)))
    return deltas


def weight_gradient(delta, inputs):
    return [[d * x for x in inputs] for d in delta]
