"""Writes pinned.csv.gz: a table that takes every path of the profiler (ProfilePinTests).

Seeded and integer-only, so the file is the same wherever it is generated. Columns:
amount (many distinct numbers: the KLL sketch compacts and the exact counts overflow),
visits (few distinct: exact counts), code (crosses 1024 distinct numbers mid-file; 0 and -0),
city (over 3,000 distinct labels, so the heavy-hitters summary purges; spellings that are
equal as text but not as bytes), rate (missing values, infinities, a label).
"""
import gzip
import random

r = random.Random(20261130)
special = ["Zürich", "Zu\u0308rich", "K", "\u212a", "é", "e\u0301", "\u00c5", "\u212b"]
with gzip.open("pinned.csv.gz", "wt", encoding="utf-8", newline="") as f:
    f.write("amount,visits,code,city,rate\n")
    for i in range(12000):
        amount = f"{r.randrange(0, 10_000_000) / 100:.2f}"
        visits = str(r.randrange(0, 30))
        code = ("-0" if i % 2 else "0") if i % 97 == 0 else str(r.randrange(0, 600 if i < 6000 else 1500))
        pick = int(4000 * r.random() ** 3)
        city = special[pick % len(special)] if i % 11 == 0 else f"city-{pick}"
        rate = ["", "inf", "-inf", "NA", "n/a", f"0.{r.randrange(0, 10000):04d}", "x"][r.randrange(0, 7)] if i % 5 == 0 else f"0.{r.randrange(0, 10000):04d}"
        f.write(f"{amount},{visits},{code},{city},{rate}\n")
