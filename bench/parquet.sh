#!/usr/bin/env bash
# Benchmark of Sluice's Parquet reader against pyarrow, pandas, polars and DuckDB, and of
# shards that read only their share.
#
#   bash bench/parquet.sh             # ~1000 MB Parquet per codec (BENCH_MB to change)
#   PARTS="peers" bash bench/parquet.sh   # only some parts: sluice, peers, unique, shards (default all)
#   DATASET_MB=200 bash bench/parquet.sh  # a smaller 16-file dataset for the shard part
#
# Writes diamonds-based Parquet files (snappy, zstd) and a 16-file dataset into
# bench/data/parquet (git-ignored) with pyarrow, builds Sluice in release mode, and times
# `sluice validate` and `sluice profile` beside the same schema checks in pyarrow
# (read_table + compute), pandas, polars and DuckDB, and pyarrow's bare read_table of the
# numeric columns: MB/s, CPU seconds, peak RSS (validate on one thread and on nproc). The
# unique part validates a 10-row-group slice of the snappy file with `carat` unique (about
# 10 M repeats) and with a primary key, on one thread and on nproc. Then
# runs `sluice profile --shard i/N` for N = 1, 2, 4 over the dataset: bytes read per shard
# (Sluice reports it) and total CPU. Peers run from bench/venv.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_MB="${BENCH_MB:-1000}"
DATASET_MB="${DATASET_MB:-$BENCH_MB}"
PARTS="${PARTS:-sluice peers unique shards}"
part() { [[ " $PARTS " == *" $1 "* ]]; }
DIAMONDS="${DIAMONDS:-/work/shared/datasets/diamonds.csv}"
dir=bench/data/parquet

source bench/timing.sh
if [ ! -x bench/venv/bin/python ] || ! bench/venv/bin/python -c 'import pyarrow, pandas, polars, duckdb' 2>/dev/null; then
  python3 -m venv bench/venv
  bench/venv/bin/pip install -q pyarrow pandas polars duckdb
fi
if [ ! -f "$dir/diamonds-zstd.parquet" ] || [ ! -f "$dir/diamonds-dataset.schema.json" ] \
  || [ "$(( $(stat -c %s "$dir/diamonds-zstd.parquet") / 1000000 ))" -lt "$(( BENCH_MB * 95 / 100 ))" ]; then
  bench/venv/bin/python bench/parquet_data.py "$dir" "$DIAMONDS" "$BENCH_MB" "$DATASET_MB"
fi

if [ -z "${SLUICE_BIN:-}" ] && { part sluice || part unique || part shards; }; then
  swift build -c release --product sluice >/dev/null
  SLUICE_BIN="$(swift build -c release --show-bin-path)/sluice"
fi

results=()
schema="$dir/diamonds.schema.json"
for codec in snappy zstd; do
  file="$dir/diamonds-$codec.parquet"
  if part sluice; then
    # One thread, then row groups on the job's cores (the default; `nproc` threads).
    measure "sluice validate --threads 1 ($codec)" "$file" "$SLUICE_BIN" validate "$file" --schema "$schema" --threads 1
    measure "sluice validate --threads $(nproc) ($codec)" "$file" "$SLUICE_BIN" validate "$file" --schema "$schema"
    measure "sluice profile ($codec)" "$file" "$SLUICE_BIN" profile "$file" --schema "$schema" --out "$dir/profile-$codec.json" --quiet
  fi
  if part peers; then
    # The target's yardstick: pyarrow reading the numeric columns alone, no checks.
    measure "pyarrow read_table numeric ($codec)" "$file" bench/venv/bin/python bench/parquet_peers.py pyarrow-numeric "$file" "$schema"
    for tool in pyarrow pandas polars duckdb; do
      measure "$tool same checks ($codec)" "$file" bench/venv/bin/python bench/parquet_peers.py "$tool" "$file" "$schema"
    done
  fi
done

if part unique; then
  # The first 10 row groups of the snappy file (1 M rows each), and the schema with
  # `carat` unique, then with a primary key of carat and depth instead.
  slice="$dir/diamonds-slice.parquet"
  [ -f "$slice" ] || bench/venv/bin/python -c '
import sys, pyarrow as pa, pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
pq.write_table(pa.concat_tables([f.read_row_group(g) for g in range(10)]), sys.argv[2], compression="snappy", row_group_size=1_000_000)
' "$dir/diamonds-snappy.parquet" "$slice"
  bench/venv/bin/python -c '
import json, sys
schema = json.load(open(sys.argv[1]))
schema["fields"][0]["constraints"]["unique"] = True
json.dump(schema, open(sys.argv[2], "w"), indent=1)
del schema["fields"][0]["constraints"]["unique"]
schema["primaryKey"] = ["carat", "depth"]
json.dump(schema, open(sys.argv[3], "w"), indent=1)
' "$schema" "$dir/diamonds-unique.schema.json" "$dir/diamonds-key.schema.json"
  for check in unique key; do
    for threads in 1 "$(nproc)"; do
      measure "sluice validate $check --threads $threads (slice)" "$slice" "$SLUICE_BIN" validate "$slice" --schema "$dir/diamonds-$check.schema.json" --threads "$threads"
    done
  done
fi

shards=()
dataset="$dir/diamonds-dataset"
source bench/shard_runs.sh
for n in $(part shards && echo 1 2 4); do
  shards+=("$(shard_runs "$n" "$SLUICE_BIN" profile "$dataset" --shard "{i}/{n}" --out "$dir/shard-{i}-of-{n}.json")")
done

echo
machine
echo "tools: pyarrow $(bench/venv/bin/python -c 'import pyarrow; print(pyarrow.__version__)'), pandas $(bench/venv/bin/python -c 'import pandas; print(pandas.__version__)'), polars $(bench/venv/bin/python -c 'import polars; print(polars.__version__)'), duckdb $(bench/venv/bin/python -c 'import duckdb; print(duckdb.__version__)')"
echo
measure_table
echo
echo "shards over the 16-file dataset ($(du -sb "$dataset" | awk '{ printf "%.0f", $1 / 1e6 }') MB):"
printf '%s\n' "${shards[@]}"
