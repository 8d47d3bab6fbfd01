"""Writes the drift fixtures (seeded) and prints the expected values the Swift tests paste in.

Run with the reference venv: /tmp/refvenv/bin/python make_fixtures.py
Tests never run this; it documents where the pasted numbers come from.
"""
import numpy as np
import pandas as pd

rng = np.random.default_rng(20261121)


def small(n, shift, cats, extra_cat):
    df = pd.DataFrame({
        "num_shift": np.round(rng.normal(shift, 1, n), 2),
        "num_same": np.round(rng.normal(0, 1, n), 1),
        "few": rng.choice([1, 2, 3, 4], n, p=[0.4, 0.3, 0.2, 0.1] if shift == 0 else [0.25, 0.25, 0.25, 0.25]),
        "binary": rng.choice([0, 1], n, p=[0.7, 0.3] if shift == 0 else [0.5, 0.5]),
        "cat": rng.choice(cats, n),
        "constant": np.full(n, 7),
        "with_missing": np.where(rng.random(n) < 0.2, np.nan, np.round(rng.exponential(2 + shift, n), 3)),
        "yes_no": rng.choice(["yes", "no"], n),
        "gone": np.round(rng.normal(0, 1, n), 2) if shift == 0 else np.full(n, np.nan),
    })
    if extra_cat:
        df.loc[df.index[:15], "cat"] = "e"
    return df


def large(n, shift):
    return pd.DataFrame({
        "income": np.round(rng.lognormal(10 + shift * 0.3, 0.5, n), 0),
        "age": rng.integers(18, 80 + int(shift * 10), n),
        "score": np.round(rng.normal(0.5 + shift * 0.02, 0.1, n), 3),
        "city": rng.choice(["paris", "lyon", "nice", "lille", "brest"], n, p=[0.4, 0.2, 0.2, 0.1, 0.1] if shift == 0 else [0.2, 0.2, 0.2, 0.2, 0.2]),
        "flag": rng.choice(["y", "n"], n),
        "rating": rng.choice([1, 2, 3], n),
    })


if __name__ == "__main__":
    small(300, 0, ["a", "b", "c", "d"], False).to_csv("reference_small.csv", index=False)
    small(250, 0.5, ["a", "b", "c", "d"], True).to_csv("current_small.csv", index=False)
    large(5000, 0).to_csv("reference_large.csv", index=False)
    large(4000, 1).to_csv("current_large.csv", index=False)
    # Asymptotic KS: one sample over 10 000 values.
    pd.DataFrame({"x": np.round(rng.normal(0, 1, 12000), 3)}).to_csv("reference_asymp.csv", index=False)
    pd.DataFrame({"x": np.round(rng.normal(0.05, 1, 3000), 3)}).to_csv("current_asymp.csv", index=False)
