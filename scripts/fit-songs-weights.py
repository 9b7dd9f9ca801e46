#!/usr/bin/env python3
"""Fits the songs detector's speech-vs-music weights (src/songs/detect.cpp, speech_evidence).

Input: the window features that `build/bench/songs_speed --dump-windows FILE` writes (the Sintel clip
is seed 0, the test scenes seeds 1-12). A logistic regression (Newton's method, L2, the two classes
weighted equally, the Sintel windows x10: real film sound) on Sintel and seeds 1-6; seeds 7-12 are
held out and only scored. Python's standard library only.

    build/bench/songs_speed --no-cost --dump-windows /tmp/windows.csv
    scripts/fit-songs-weights.py /tmp/windows.csv
"""
import csv
import math
import sys

NAMES = ["rhythm", "pauses", "voice", "no_voice", "notes", "stable", "held"]
SPEECH = 1  # songs::sound::speech


def features(r):
    mod, low, v, st, held = (float(r[k]) for k in ("modulation", "low_energy", "voice", "stable", "held"))
    return [min(max(mod - 2.5, -2), 3), min(max(low - 0.15, -0.15), 0.25), v - 0.5, max(0, 0.12 - v),
            max(0, st - 0.5), st - 0.35, max(0, held - 0.05), 1.0]


def fit(rows, l2=1e-4, sintel_weight=10, iterations=30):
    x = [features(r) for r in rows]
    y = [1.0 if int(r["label"]) == SPEECH else 0.0 for r in rows]
    pos = sum(y)
    neg = len(y) - pos
    c = [(0.5 / pos if t else 0.5 / neg) * (sintel_weight if int(r["seed"]) == 0 else 1) for r, t in zip(rows, y)]
    d = len(x[0])
    w = [0.0] * d
    for _ in range(iterations):
        g = [l2 * wi for wi in w]
        h = [[l2 * (i == j) for j in range(d)] for i in range(d)]
        for xi, yi, ci in zip(x, y, c):
            z = max(-30.0, min(30.0, sum(a * b for a, b in zip(w, xi))))
            p = 1 / (1 + math.exp(-z))
            for i in range(d):
                g[i] += ci * (p - yi) * xi[i]
                for j in range(d):
                    h[i][j] += ci * p * (1 - p) * xi[i] * xi[j]
        a = [h[i][:] + [g[i]] for i in range(d)]  # Gauss-Jordan on [H | g]
        for i in range(d):
            piv = max(range(i, d), key=lambda k: abs(a[k][i]))
            a[i], a[piv] = a[piv], a[i]
            for k in range(d):
                if k != i:
                    f = a[k][i] / a[i][i]
                    for j in range(i, d + 1):
                        a[k][j] -= f * a[i][j]
        w = [wi - a[i][d] / a[i][i] for i, wi in enumerate(w)]
    return w


def accuracy(rows, w):
    ok = sum((sum(a * b for a, b in zip(w, features(r))) > 0) == (int(r["label"]) == SPEECH) for r in rows)
    return ok / len(rows) if rows else float("nan")


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    train = [r for r in rows if int(r["seed"]) <= 6]
    held = [r for r in rows if int(r["seed"]) > 6]
    w = fit(train)
    print("bias %.2f  " % w[-1] + "  ".join("%s %.2f" % (n, v) for n, v in zip(NAMES, w)))
    print("window accuracy: fitted %.3f, held out %.3f, Sintel %.3f"
          % (accuracy(train, w), accuracy(held, w), accuracy([r for r in rows if int(r["seed"]) == 0], w)))


if __name__ == "__main__":
    main()
