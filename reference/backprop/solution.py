"""Model answer of the backprop exercise in Python (same numbers as solution.cpp).

Written to stay accurate where the textbook formula loses digits:
- sigmoid never evaluates e**z for a large positive z, so math.exp cannot raise
  OverflowError for any finite input;
- sigma'(z) is computed from e**-|z| instead of s * (1 - s), which cancels to 0
  once s rounds to 1;
- s - target is formed as (1 - target) - sigma(-z) for z > 0;
- the weight update is computed exactly with fractions and rounded once
  (Python 3.11 has no math.fma), so a cancelling update keeps its digits.
"""
import math
from fractions import Fraction


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


def forward(weight, input, bias):
    return _sigmoid(weight * input + bias)


def loss(prediction, target):
    d = prediction - target
    return d * d


def gradient(weight, input, bias, target):
    z = weight * input + bias
    return 2.0 * _prediction_error(z, target) * _sigmoid_slope(z) * input


def update_weight(weight, gradient, learning_rate):
    product = learning_rate * gradient
    if learning_rate == 0.0 or gradient == 0.0 or not (
            math.isfinite(product) and math.isfinite(weight)):
        return weight - product  # exact already (keeps the sign of a zero), or not finite
    exact = Fraction(weight) - Fraction(learning_rate) * Fraction(gradient)
    return float(exact)
