"""Writes a synthetic CSV of about --megabytes MB for the profile/drift benchmark.

Columns: 6 numeric (normal, lognormal, integers, a rate with missing values, a few-valued
count, a constant) and 4 categorical. --shift > 0 moves several of them, so drift has
something to find. Seeded, so runs are comparable.
"""
import argparse

import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--megabytes", type=int, required=True)
parser.add_argument("--shift", type=float, default=0.0)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--out", required=True)
args = parser.parse_args()

rng = np.random.default_rng(args.seed)
chunk = 500_000
bytes_per_row = 45  # measured on this layout
rows = args.megabytes * 1_000_000 // bytes_per_row
s = args.shift
with open(args.out, "w") as out:
    written = 0
    first = True
    while written < rows:
        n = min(chunk, rows - written)
        rate = np.round(rng.beta(2, 5 + s, n), 4).astype(object)
        rate[rng.random(n) < 0.05] = ""
        frame = pd.DataFrame({
            "amount": np.round(rng.normal(100 + 10 * s, 15, n), 2),
            "income": np.round(rng.lognormal(10 + 0.2 * s, 0.5, n), 0).astype(np.int64),
            "age": rng.integers(18, 90, n),
            "rate": rate,
            "visits": rng.poisson(2 + s, n),
            "version": np.full(n, 3),
            "country": rng.choice(["fr", "de", "es", "it", "nl", "be", "pt", "pl"], n),
            "channel": rng.choice(["web", "app", "store"], n, p=[0.5, 0.3, 0.2] if s == 0 else [0.3, 0.5, 0.2]),
            "plan": rng.choice(["free", "pro", "team", "enterprise"], n),
            "active": rng.choice(["true", "false"], n),
        })
        frame.to_csv(out, header=first, index=False)
        first = False
        written += n
