#!/usr/bin/env python3
"""Peer for bench/validate.sh: validates a CSV with pandas + pandera against the checks the
benchmark's Table Schema states (types, ranges, enums, required), and prints the number of
failures. Usage: pandera_validate.py DATA.csv SCHEMA.json
"""
import json
import sys

import pandas as pd
import pandera.pandas as pa


def column(field):
    kind = field["type"]
    constraints = field.get("constraints", {})
    dtype = {"integer": "Int64", "number": float, "boolean": bool, "string": str, "date": "datetime64[ns]"}[kind]
    checks = []
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"]))
    if "enum" in constraints:
        checks.append(pa.Check.isin(constraints["enum"]))
    return pa.Column(dtype, checks=checks, nullable=not constraints.get("required", False), coerce=True)


def main():
    data, schema_path = sys.argv[1], sys.argv[2]
    fields = json.load(open(schema_path))["fields"]
    schema = pa.DataFrameSchema({f["name"]: column(f) for f in fields}, strict=True)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False, na_values=[""])
    try:
        schema.validate(frame, lazy=True)
        print("pandera: valid")
    except pa.errors.SchemaErrors as errors:
        print(f"pandera: {len(errors.failure_cases)} failure cases")


if __name__ == "__main__":
    main()
