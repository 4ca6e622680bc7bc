#!/usr/bin/env python3
"""Character-level similarity of two texts after white space is normalised:
1 - normalised Levenshtein distance (rapidfuzz). Prints a number in [0, 1]."""
import sys

from rapidfuzz.distance import Levenshtein


def normalise(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return " ".join(handle.read().split())


print(f"{Levenshtein.normalized_similarity(normalise(sys.argv[1]), normalise(sys.argv[2])):.4f}")
