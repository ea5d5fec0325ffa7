"""Scoring of a similarity tool's flagged pairs against a corpus's labels (make_corpus.py).

A pair is a copy when both submissions are in one family (an original and its copies, or two
copies of one original); every other pair of the same language is independent work. Precision
is the share of flagged pairs that are copies; recall the share of copies that are flagged.
"""

import itertools
import json
import os


def load_labels(corpus):
    with open(os.path.join(corpus, "labels.json")) as f:
        return json.load(f)


def copy_pairs(labels):
    pairs = set()
    for family in labels["families"]:
        for a, b in itertools.combinations(sorted(family), 2):
            pairs.add((a, b))
    return pairs


def alike_pairs(labels):
    return {tuple(sorted(p)) for p in labels["alike"]}


def evaluate(labels, flagged):
    """flagged: iterable of (a, b) ids. Returns a dict of counts, precision and recall."""
    truth = copy_pairs(labels)
    alike = alike_pairs(labels)
    flagged = {tuple(sorted(p)) for p in flagged}
    tp = len(flagged & truth)
    fp = len(flagged - truth)
    fn = len(truth - flagged)
    return {
        "flagged": len(flagged),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "alike_flagged": len(flagged & alike),
        "precision": tp / len(flagged) if flagged else 1.0,
        "recall": tp / len(truth) if truth else 1.0,
        "missed": sorted(truth - flagged),
        "wrong": sorted(flagged - truth),
    }


def grader_pairs(report):
    """The (a, b) pairs of a grader JSON report's similarity section."""
    return [(p["a"], p["b"]) for p in report["similarity"]["pairs"]]
