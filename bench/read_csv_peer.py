#!/usr/bin/env python3
"""Reads a whole CSV into typed columns with one peer engine, for bench/validate.sh.

Usage: read_csv_peer.py ENGINE FILE, where ENGINE is pandas-c, pandas-pyarrow, polars or
duckdb. Every engine parses and types every column (no projection), then prints the row
count, so the work is comparable to `sluice validate` reading every cell.
"""
import sys


def main():
    engine, path = sys.argv[1], sys.argv[2]
    if engine == "pandas-c":
        import pandas
        rows = len(pandas.read_csv(path, engine="c"))
    elif engine == "pandas-pyarrow":
        import pandas
        rows = len(pandas.read_csv(path, engine="pyarrow"))
    elif engine == "polars":
        import polars
        rows = polars.read_csv(path).height
    elif engine == "duckdb":
        import duckdb
        connection = duckdb.connect()
        connection.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [path])
        rows = connection.execute("SELECT count(*) FROM t").fetchone()[0]
    else:
        sys.exit(f"unknown engine {engine}")
    print(rows)


if __name__ == "__main__":
    main()
