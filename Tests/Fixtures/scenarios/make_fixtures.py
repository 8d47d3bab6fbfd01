"""Cuts the acceptance scenarios' data from ../shared/datasets (seaborn-data copies), once.

Each scenario gets reference.csv (what the champion learns from), current.csv (the newest
labelled batch) and holdout.csv (labelled rows never trained on), shuffled with a fixed
seed so every slice has every class. Run from this directory: python3 make_fixtures.py
"""
import csv
import random

SOURCES = "../../../../../shared/datasets"


def cut(name, sizes, drop=()):
    with open(f"{SOURCES}/{name}.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    random.Random(20261130).shuffle(body)
    keep = [i for i, column in enumerate(header) if column not in drop]
    start = 0
    for part, size in zip(["reference", "current", "holdout"], sizes):
        with open(f"{name}/{part}.csv", "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow([header[i] for i in keep])
            for row in body[start:start + size]:
                writer.writerow([row[i] for i in keep])
        start += size


# titanic: `alive` is the label again in words (a leak), so it is left out.
cut("titanic", (500, 191, 200), drop=("alive",))
cut("penguins", (200, 64, 80))
cut("diamonds", (1200, 400, 400))


def head(name, size):
    """The first `size` rows as the dataset orders them, as one file (no batches)."""
    with open(f"{SOURCES}/{name}.csv", newline="") as f:
        rows = list(csv.reader(f))
    with open(f"{name}/reference.csv", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows[:size + 1])


# taxis: one file whose label (payment) is empty on 8 of its 1,200 trips, as a new user's
# first data may be; `init` then `run` must leave those rows out, not fail.
head("taxis", 1200)
