"""Model answer of the backprop-training exercise in Python (same numbers as solution.cpp).

Written to keep every digit that the plain formulas can lose, so that the answer key
is the exactly rounded value wherever that is cheap to get:
- z = weight * input + bias is computed exactly and rounded once (as a fused
  multiply-add would), with fractions;
- sigmoid never evaluates e**z for a large positive z; sigma'(z) comes from
  e**-|z| instead of s * (1 - s), which cancels to 0 once s rounds to 1;
  s - target is formed as (1 - target) - sigma(-z) for z > 0;
- sums over the samples use math.fsum (correctly rounded, independent of the
  order of the samples), then one division by the number of samples;
- each weight update is computed exactly and rounded once, so a step that
  nearly cancels the weight keeps its digits.
"""
import math
from fractions import Fraction


def _z(weight, x, bias):
    return float(Fraction(weight) * Fraction(x) + Fraction(bias))


def _sigmoid(z):
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_slope(z):
    e = math.exp(-abs(z))
    d = 1.0 + e
    return e / (d * d)


def _prediction_error(z, target):
    if z > 0.0:
        return (1.0 - target) - _sigmoid(-z)
    return _sigmoid(z) - target


def _step(weight, gradient, learning_rate):
    if learning_rate == 0.0 or gradient == 0.0:
        return weight
    return float(Fraction(weight) - Fraction(learning_rate) * Fraction(gradient))


def _mean_loss(weight, bias, inputs, targets):
    errors = [_prediction_error(_z(weight, x, bias), t) for x, t in zip(inputs, targets)]
    return math.fsum(e * e for e in errors) / len(inputs)


def batch_gradient(weight, bias, inputs, targets):
    terms = []
    for x, t in zip(inputs, targets):
        z = _z(weight, x, bias)
        terms.append(2.0 * _prediction_error(z, t) * _sigmoid_slope(z) * x)
    return math.fsum(terms) / len(inputs)


def train(weight, bias, inputs, targets, learning_rate, epochs):
    for _ in range(epochs):
        weight = _step(weight, batch_gradient(weight, bias, inputs, targets), learning_rate)
    return weight


def loss_curve(weight, bias, inputs, targets, learning_rate, epochs):
    curve = []
    for _ in range(epochs):
        weight = _step(weight, batch_gradient(weight, bias, inputs, targets), learning_rate)
        curve.append(_mean_loss(weight, bias, inputs, targets))
    return curve
