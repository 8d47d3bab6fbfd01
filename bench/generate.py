#!/usr/bin/env python3
"""Writes the validation benchmark's data: a deterministic CSV of about TARGET_MB megabytes
with 20 mostly numeric columns, and its Table Schema.

Usage: python3 bench/generate.py OUT.csv OUT.schema.json [TARGET_MB] [mixed|numeric]

`mixed` (the default) is the 20-column file described above. `numeric` is the numeric-heavy
file of issue 15: an integer id, 12 numbers with 2 to 6 decimals and 3 small integers, bounds
on 4 columns, nothing else (no dates, strings or booleans).
"""
import json
import random
import sys

COLUMNS = [
    ("id", "integer"), ("event_date", "date"), ("region", "string"), ("segment", "string"),
    ("active", "boolean"), ("age", "integer"), ("income", "number"), ("balance", "number"),
    ("score_1", "number"), ("score_2", "number"), ("score_3", "number"), ("score_4", "number"),
    ("ratio_1", "number"), ("ratio_2", "number"), ("count_1", "integer"), ("count_2", "integer"),
    ("count_3", "integer"), ("latitude", "number"), ("longitude", "number"), ("label", "integer"),
]
NUMERIC_COLUMNS = [("id", "integer")] + [(f"x_{i}", "number") for i in range(1, 13)] + [
    ("n_1", "integer"), ("n_2", "integer"), ("n_3", "integer"),
]
NUMERIC_CONSTRAINTS = {
    "id": {"required": True},
    "x_1": {"minimum": 0, "maximum": 1}, "x_2": {"minimum": -90, "maximum": 90},
    "n_1": {"minimum": 0, "maximum": 999},
}
REGIONS = ["north", "south", "east", "west", "central"]
SEGMENTS = ["consumer", "small_business", "enterprise"]


def schema(columns=COLUMNS, constraints=None):
    constraints = constraints or {
        "id": {"required": True},
        "region": {"enum": REGIONS},
        "segment": {"enum": SEGMENTS},
        "age": {"minimum": 18, "maximum": 100},
        "income": {"minimum": 0},
        "ratio_1": {"minimum": 0, "maximum": 1},
        "ratio_2": {"minimum": 0, "maximum": 1},
        "latitude": {"minimum": -90, "maximum": 90},
        "longitude": {"minimum": -180, "maximum": 180},
        "label": {"enum": [0, 1]},
    }
    fields = []
    for name, kind in columns:
        field = {"name": name, "type": kind}
        if name in constraints:
            field["constraints"] = constraints[name]
        fields.append(field)
    return {"$schema": "https://datapackage.org/profiles/2.0/tableschema.json", "fields": fields}


def main():
    out, schema_out = sys.argv[1], sys.argv[2]
    target = int(sys.argv[3] if len(sys.argv) > 3 else 1000) * 1_000_000
    kind = sys.argv[4] if len(sys.argv) > 4 else "mixed"
    if kind not in ("mixed", "numeric"):
        sys.exit(f"unknown kind {kind}; expected mixed or numeric")
    rng = random.Random(42)
    # Pre-built pools keep Python fast; rows are still varied and deterministic.
    pool = 4096
    floats = [f"{rng.gauss(0, 50):.4f}" for _ in range(pool)]
    incomes = [f"{rng.lognormvariate(10.8, 0.5):.2f}" for _ in range(pool)]
    ratios = [f"{rng.random():.6f}" for _ in range(pool)]
    lats = [f"{rng.uniform(-90, 90):.6f}" for _ in range(pool)]
    lons = [f"{rng.uniform(-180, 180):.6f}" for _ in range(pool)]
    dates = [f"20{rng.randint(10, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(pool)]
    written = 0
    row = 0
    with open(out, "w") as handle:
        columns = COLUMNS if kind == "mixed" else NUMERIC_COLUMNS
        header = ",".join(name for name, _ in columns) + "\n"
        handle.write(header)
        written += len(header)
        while written < target:
            lines = []
            for _ in range(10_000):
                row += 1
                r = rng.getrandbits(60)
                if kind == "numeric":
                    lines.append(",".join((
                        str(row), ratios[r & 4095], lats[(r >> 12) & 4095], lons[(r >> 24) & 4095],
                        incomes[(r >> 36) & 4095], floats[(r >> 6) & 4095], floats[(r >> 18) & 4095],
                        floats[(r >> 30) & 4095], floats[(r >> 42) & 4095], ratios[(r >> 3) & 4095],
                        lats[(r >> 15) & 4095], lons[(r >> 27) & 4095], incomes[(r >> 39) & 4095],
                        str(r % 1000), str((r >> 10) % 50), str((r >> 20) % 7),
                    )))
                    continue
                lines.append(",".join((
                    str(row), dates[r & 4095], REGIONS[r % 5], SEGMENTS[r % 3], "true" if r & 1 else "false",
                    str(18 + r % 70), incomes[(r >> 12) & 4095], floats[(r >> 24) & 4095],
                    floats[(r >> 36) & 4095], floats[(r >> 6) & 4095], floats[(r >> 18) & 4095], floats[(r >> 30) & 4095],
                    ratios[(r >> 42) & 4095], ratios[(r >> 3) & 4095], str(r % 1000), str((r >> 10) % 50), str((r >> 20) % 7),
                    lats[(r >> 9) & 4095], lons[(r >> 27) & 4095], str((r >> 59) & 1),
                )))
            chunk = "\n".join(lines) + "\n"
            handle.write(chunk)
            written += len(chunk)
    with open(schema_out, "w") as handle:
        json.dump(schema() if kind == "mixed" else schema(NUMERIC_COLUMNS, NUMERIC_CONSTRAINTS), handle, indent=1)
        handle.write("\n")
    print(f"{out}: {row} rows, {written / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
