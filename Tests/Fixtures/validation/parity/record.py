#!/usr/bin/env python3
"""Prints what frictionless-py reports for each parity fixture, as Swift test literals.

Run with the reference venv: /tmp/refvenv/bin/python record.py
The output is pasted into Tests/ValidationTests/FrictionlessParityTests.swift.
"""
import glob
import os

import frictionless
from frictionless import Resource, Schema

HERE = os.path.dirname(os.path.abspath(__file__))


def expected(csv_name, schema_name):
    os.chdir(HERE)  # frictionless refuses absolute paths as unsafe
    resource = Resource(path=csv_name, schema=Schema.from_descriptor(schema_name))
    report = resource.validate()
    return report.flatten(["type", "rowNumber", "fieldName"])


def main():
    print(f"// frictionless {frictionless.__version__}")
    for schema_path in sorted(glob.glob(os.path.join(HERE, "*.schema.json"))):
        base = os.path.basename(schema_path)[: -len(".schema.json")]
        print(f'"{base}": [')
        for kind, row, field in expected(base + ".csv", base + ".schema.json"):
            row_text = "nil" if row is None else str(row)
            field_text = "nil" if field is None else f'"{field}"'
            print(f'    E("{kind}", {row_text}, {field_text}),')
        print("],")


if __name__ == "__main__":
    main()
