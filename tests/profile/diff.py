#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""diff.py A B ITERATIONS [TOP]: what boot B ran more than boot A, per
iteration, by function (symbols.py's output for each), largest first,
then the largest savings. Code run once (a hash of the program, module
loading) shows divided by ITERATIONS: give enough of them."""
import sys


def load(path):
    out = {}
    for line in open(path):
        count, name = line.rstrip('\n').split('\t')
        out[name] = int(count)
    return out


def main(a_path, b_path, iterations, top=40):
    a, b = load(a_path), load(b_path)
    n, top = float(iterations), int(top)
    diff = sorted(((b.get(k, 0) - a.get(k, 0)) / n, k) for k in set(a) | set(b))
    print("instructions per iteration, B - A: %.1f" % sum(d for d, _ in diff))
    for d, k in diff[::-1][:top]:
        if d > 0:
            print("%9.1f  %s" % (d, k))
    print("   (fewer in B)")
    for d, k in diff[:8]:
        if d < 0:
            print("%9.1f  %s" % (d, k))


if __name__ == '__main__':
    main(*sys.argv[1:])
