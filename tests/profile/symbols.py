#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-function instruction counts of one profiled guest boot.

symbols.py RESULTS TBPROF: RESULTS is the guest's results file, whose
"SYM addr type name [module]" lines are its /proc/kallsyms text symbols
(each boot places the kernel and modules anew); TBPROF is tbprof.c's
output. Prints "instructions<TAB>function" lines, most first; a module's
function is "module:function" ("c:" for charter), user space "[user]".
"""
import bisect
import collections
import sys


def main(results, prof):
    syms = []
    for line in open(results, errors='replace'):
        if not line.startswith('SYM '):
            continue
        p = line.split()
        if len(p) < 4 or p[2] not in ('t', 'T'):
            continue
        name = p[3]
        if len(p) > 4:
            name = p[4].strip('[]').replace('charter', 'c') + ':' + name
        syms.append((int(p[1], 16), name))
    syms.sort()
    addrs = [a for a, _ in syms]
    total = collections.Counter()
    for line in open(prof):
        vaddr, insns, _ = line.split()
        vaddr = int(vaddr, 16)
        if vaddr < 0xffff800000000000:
            total['[user]'] += int(insns)
            continue
        i = bisect.bisect_right(addrs, vaddr) - 1
        total[syms[i][1] if i >= 0 else '?'] += int(insns)
    for name, count in total.most_common():
        print(f"{count}\t{name}")


if __name__ == '__main__':
    main(*sys.argv[1:3])
