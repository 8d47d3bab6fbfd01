#!/usr/bin/env python3
"""Resamples the bundled example (templates/example) to ROWS rows per file, for bench/loop.sh.

Each of reference.csv, current.csv and holdout.csv is drawn with replacement from the
example's own file (seed 1, Python standard library only), so the distributions, the drift
between reference and current and the share of invalid rows in current stay the example's.
customer_id is renumbered C000000, C000001, ... so the ids stay unique (the schema's
primary key; the pattern C[0-9]{6} allows at most 1,000,000 rows).

Usage: loop_data.py EXAMPLE_DIR OUT_DIR ROWS
"""
import csv
import os
import random
import sys

example, out, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
if rows > 1_000_000:
    sys.exit("at most 1,000,000 rows: customer_id is C followed by six digits")
random.seed(1)
for name in ("reference.csv", "current.csv", "holdout.csv"):
    with open(os.path.join(example, name), newline="") as source:
        lines = list(csv.reader(source))
    header, body = lines[0], lines[1:]
    id_index = header.index("customer_id")
    with open(os.path.join(out, name), "w", newline="") as target:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(header)
        for i, row in enumerate(random.choices(body, k=rows)):
            row = list(row)
            row[id_index] = f"C{i:06d}"
            writer.writerow(row)
