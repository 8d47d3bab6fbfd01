#!/usr/bin/env python3
"""Writes the Parquet benchmark data: diamonds rows (the shared dataset) sampled with
jittered numbers so that pages do not collapse into dictionaries, about TARGET_MB of
Parquet per codec, plus a 16-file dataset for the shard benchmark and a Table Schema.

    python3 bench/parquet_data.py OUT_DIR DIAMONDS_CSV TARGET_MB [DATASET_MB]

DATASET_MB (default TARGET_MB) sizes the 16-file dataset; files already at their size are kept.
"""
import json, os, shutil, sys
import numpy as np, pyarrow as pa, pyarrow.csv as pacsv, pyarrow.parquet as pq

out, source, target_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
dataset_mb = float(sys.argv[4]) if len(sys.argv) > 4 else target_mb
os.makedirs(out, exist_ok=True)
base = pacsv.read_csv(source)
rng = np.random.default_rng(13)


def batch(rows):
    pick = rng.integers(0, base.num_rows, rows)
    columns = {}
    for name in base.column_names:
        values = base.column(name).take(pick)
        if pa.types.is_floating(values.type):
            jitter = rng.normal(0, 0.01, rows)
            values = pa.array(np.round(np.abs(values.to_numpy() + jitter), 2))
        elif pa.types.is_integer(values.type):
            values = pa.array(values.to_numpy() + rng.integers(0, 50, rows))
        columns[name] = values
    return pa.table(columns)


def write(path, codec, target_bytes, rows_per_batch=1_000_000):
    writer = None
    rows = 0
    while True:
        table = batch(rows_per_batch)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, compression=codec)
        writer.write_table(table)
        rows += table.num_rows
        if os.path.getsize(path) >= target_bytes:
            break
    writer.close()
    return rows


target = int(target_mb * 1e6)
for codec in ["snappy", "zstd"]:
    if os.path.exists(os.path.join(out, f"diamonds-{codec}.parquet")) and os.path.getsize(os.path.join(out, f"diamonds-{codec}.parquet")) >= target * 0.95:
        continue
    rows = write(os.path.join(out, f"diamonds-{codec}.parquet"), codec, target)
    print(f"diamonds-{codec}.parquet: {rows} rows, {os.path.getsize(os.path.join(out, f'diamonds-{codec}.parquet')) / 1e6:.0f} MB")

dataset = os.path.join(out, "diamonds-dataset")
shutil.rmtree(dataset, ignore_errors=True)
os.makedirs(dataset, exist_ok=True)
for part in range(16):
    day = f"2026-11-{part + 1:02d}"
    os.makedirs(os.path.join(dataset, f"day={day}"), exist_ok=True)
    write(os.path.join(dataset, f"day={day}", "part-0.parquet"), "snappy", int(dataset_mb * 1e6) // 16, rows_per_batch=100_000)

enums = {name: sorted(set(base.column(name).to_pylist())) for name in ["cut", "color", "clarity"]}
fields = []
for name in base.column_names:
    if name in enums:
        fields.append({"name": name, "type": "string", "constraints": {"required": True, "enum": enums[name]}})
    elif pa.types.is_integer(base.column(name).type):
        fields.append({"name": name, "type": "integer", "constraints": {"required": True, "minimum": 0}})
    else:
        fields.append({"name": name, "type": "number", "constraints": {"required": True, "minimum": 0}})
json.dump({"fields": fields}, open(os.path.join(out, "diamonds.schema.json"), "w"), indent=1)
json.dump({"fields": fields + [{"name": "day", "type": "date"}]}, open(os.path.join(out, "diamonds-dataset.schema.json"), "w"), indent=1)
