#!/usr/bin/env bash
# Benchmark of `sluice validate` against its peers: cat and wc -l (the floor), CSV readers
# that parse and type every cell (pandas C and pyarrow engines, polars, DuckDB), and
# validators (frictionless-py, pandas + pandera).
#
#   bash bench/validate.sh            # 1000 MB file (BENCH_MB to change)
#   SLUICE_BIN=/path/to/sluice bash bench/validate.sh   # a binary built elsewhere
#
# Generates a deterministic CSV of ~1 GB with 20 mostly numeric columns into bench/data
# (git-ignored), and a numeric-heavy one of the same size (16 columns, 12 numbers), builds
# Sluice in release mode, times `sluice validate` on each whole file,
# then times every tool on the same slices (the peers are too slow or too memory-hungry for
# the whole file), and prints MB/s and peak RSS side by side. Peers run from bench/venv.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_MB="${BENCH_MB:-1000}"
FRICTIONLESS_ROWS="${FRICTIONLESS_ROWS:-100000}"
PANDERA_ROWS="${PANDERA_ROWS:-1000000}"
data=bench/data/bench.csv
schema=bench/data/bench.schema.json

source bench/timing.sh
mkdir -p bench/data
if [ ! -f "$data" ] || [ "$(( $(stat -c %s "$data") / 1000000 ))" -lt "$(( BENCH_MB * 95 / 100 ))" ]; then
  python3 bench/generate.py "$data" "$schema" "$BENCH_MB"
fi
# The numeric-heavy file of issue 15: 16 columns, 12 of them numbers (bench/generate.py numeric).
numeric=bench/data/numeric.csv
numeric_schema=bench/data/numeric.schema.json
if [ ! -f "$numeric" ] || [ "$(( $(stat -c %s "$numeric") / 1000000 ))" -lt "$(( BENCH_MB * 95 / 100 ))" ]; then
  python3 bench/generate.py "$numeric" "$numeric_schema" "$BENCH_MB" numeric
fi
if [ ! -x bench/venv/bin/frictionless ]; then
  python3 -m venv bench/venv
  bench/venv/bin/pip install -q frictionless "pandas<3" pandera
fi
[ -x bench/venv/bin/python ] && bench/venv/bin/python -c 'import pyarrow, polars, duckdb' 2>/dev/null ||
  bench/venv/bin/pip install -q pyarrow polars duckdb

# SLUICE_BIN=path/to/sluice skips the release build (for example a binary built elsewhere).
if [ -n "${SLUICE_BIN:-}" ]; then
  sluice="$SLUICE_BIN"
else
  swift build -c release --product sluice >/dev/null
  sluice="$(swift build -c release --show-bin-path)/sluice"
fi

head -n "$((FRICTIONLESS_ROWS + 1))" "$data" > bench/data/slice-frictionless.csv
head -n "$((PANDERA_ROWS + 1))" "$data" > bench/data/slice-pandera.csv

results=()

measure "cat (whole file)" "$data" cat "$data"
measure "wc -l (whole file)" "$data" wc -l "$data"
measure "sluice validate (whole file)" "$data" "$sluice" validate "$data" --schema "$schema" --threads 1
measure "sluice validate (whole, $(nproc) threads)" "$data" "$sluice" validate "$data" --schema "$schema" --threads "$(nproc)"
for engine in pandas-c pandas-pyarrow polars duckdb; do
  measure "$engine read (whole file)" "$data" bench/venv/bin/python bench/read_csv_peer.py "$engine" "$data"
done
# The same with `unique` on the id column: memory then holds one fingerprint per row.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["fields"][0]["constraints"]["unique"] = True; json.dump(d, open(sys.argv[2], "w"))' "$schema" bench/data/bench-unique.schema.json
measure "sluice validate (whole, unique id)" "$data" "$sluice" validate "$data" --schema bench/data/bench-unique.schema.json --threads 1
measure "sluice validate (numeric file)" "$numeric" "$sluice" validate "$numeric" --schema "$numeric_schema" --threads 1
measure "sluice validate (pandera slice)" bench/data/slice-pandera.csv "$sluice" validate bench/data/slice-pandera.csv --schema "$schema"
measure "pandas+pandera (pandera slice)" bench/data/slice-pandera.csv bench/venv/bin/python bench/pandera_validate.py bench/data/slice-pandera.csv "$schema"
measure "sluice validate (frictionless slice)" bench/data/slice-frictionless.csv "$sluice" validate bench/data/slice-frictionless.csv --schema "$schema"
measure "frictionless (frictionless slice)" bench/data/slice-frictionless.csv bench/venv/bin/frictionless validate --schema "$schema" bench/data/slice-frictionless.csv

echo
machine
echo "tools: $("$sluice" --version | head -1 | sed 's/^/sluice /'), frictionless $(bench/venv/bin/pip show frictionless 2>/dev/null | awk '/^Version/ { print $2 }'), pandas $(bench/venv/bin/pip show pandas 2>/dev/null | awk '/^Version/ { print $2 }'), pandera $(bench/venv/bin/pip show pandera 2>/dev/null | awk '/^Version/ { print $2 }'), pyarrow $(bench/venv/bin/pip show pyarrow 2>/dev/null | awk '/^Version/ { print $2 }'), polars $(bench/venv/bin/pip show polars 2>/dev/null | awk '/^Version/ { print $2 }'), duckdb $(bench/venv/bin/pip show duckdb 2>/dev/null | awk '/^Version/ { print $2 }')"
echo
measure_table
