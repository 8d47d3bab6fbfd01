#!/usr/bin/env python3
"""Writes the Parquet fixtures Sluice's tests read, and the expected text of every cell.

Run from the repository root with pyarrow, polars and duckdb installed, e.g.
    python3 -m venv /tmp/pq && /tmp/pq/bin/pip install pyarrow polars duckdb
    /tmp/pq/bin/python Tests/Fixtures/parquet/generate.py

Each fixture `X.parquet` gets `X.expected.csv`: the cells as pyarrow reads them, written in
the text Sluice renders (see docs/data.md): empty for null, true/false, integers in decimal,
floats in shortest round-trip form, ISO dates/times/timestamps (Z when UTC-adjusted),
decimals at their scale, strings as is, UUIDs hyphenated, other binary in base64.
VERSIONS.txt records the writers' versions.
"""
import base64, csv, datetime, decimal, io, math, os, uuid
import duckdb, numpy as np, polars as pl, pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = os.environ.get("SLUICE_DATASETS", "/work/shared/datasets")


def out(name):
    return os.path.join(HERE, name)


def frac(nanos_of_second, digits_unit):
    if nanos_of_second == 0:
        return ""
    text = str(nanos_of_second).rjust(digits_unit, "0").rstrip("0")
    return "." + text


def render(value, typ):
    if value is None:
        return ""
    if pa.types.is_boolean(typ):
        return "true" if value else "false"
    if pa.types.is_integer(typ):
        return str(value)
    if pa.types.is_floating(typ):
        v = float(value)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "INF" if v > 0 else "-INF"
        if typ == pa.float32():
            return str(np.float32(v))
        if typ == pa.float16():
            return str(np.float16(v))
        return repr(v)
    if pa.types.is_date(typ):
        return value.isoformat()
    if pa.types.is_decimal(typ):
        return format(value, "f")
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return value
    if isinstance(typ, pa.ExtensionType) or str(typ).startswith("extension<arrow.uuid"):
        return str(uuid.UUID(bytes=value.bytes if hasattr(value, "bytes") else value))
    if pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_fixed_size_binary(typ):
        return base64.b64encode(value).decode()
    raise TypeError(f"no rendering for {typ}")


def render_column(column):
    typ = column.type
    if pa.types.is_dictionary(typ):
        column = column.cast(typ.value_type)
        typ = typ.value_type
    if pa.types.is_timestamp(typ) or pa.types.is_time(typ):
        per_second = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}[typ.unit]
        digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[typ.unit]
        ticks = column.view(pa.int32() if typ.bit_width == 32 else pa.int64()).to_pylist()
        texts = []
        for t in ticks:
            if t is None:
                texts.append("")
                continue
            seconds, rest = divmod(t, per_second)
            fraction = frac(rest, digits)
            if pa.types.is_time(typ):
                texts.append(f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{fraction}")
            else:
                moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)
                zone = "Z" if typ.tz is not None else ""
                texts.append(moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone)
        return texts
    return [render(v, typ) for v in column.to_pylist()]


def expected_text(table):
    columns = [render_column(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    f = io.StringIO()
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in zip(*columns):
        writer.writerow(row)
    return f.getvalue()


written = {}


def expect_from_file(name, expected=None):
    """The expected cells as pyarrow reads the written file back, in `expected`.expected.csv;
    variants of one table (codecs, page versions) share one file and must agree."""
    expected = expected or name
    text = expected_text(pq.read_table(out(name + ".parquet")))
    if expected in written:
        assert written[expected] == text, f"{name} reads back differently from other {expected} variants"
        return
    written[expected] = text
    with open(out(expected + ".expected.csv"), "w", newline="") as f:
        f.write(text)


def csv_slice(dataset, rows):
    import pyarrow.csv as pacsv
    table = pacsv.read_csv(os.path.join(DATASETS, dataset))
    return table.slice(0, rows)


def main():
    taxis = csv_slice("taxis.csv", 120)
    penguins = csv_slice("penguins.csv", 120)

    # pyarrow: every codec, both page versions, several row groups.
    for codec in ["none", "snappy", "gzip", "zstd", "lz4"]:
        name = f"taxis-{codec}"
        pq.write_table(taxis, out(name + ".parquet"), compression=codec, row_group_size=50, data_page_version="1.0")
        expect_from_file(name, "taxis")
    pq.write_table(taxis, out("taxis-v2-snappy.parquet"), compression="snappy", row_group_size=50, data_page_version="2.0")
    expect_from_file("taxis-v2-snappy", "taxis")

    # Optional columns (nulls) with page v1 and v2.
    for version in ["1.0", "2.0"]:
        name = f"penguins-v{version[0]}"
        pq.write_table(penguins, out(name + ".parquet"), compression="zstd", data_page_version=version)
        expect_from_file(name, "penguins")

    # Encodings beyond PLAIN and dictionaries.
    enc = pa.table({
        "delta_int32": pa.array([i * 7 - 300 if i % 9 else None for i in range(200)], pa.int32()),
        "delta_int64": pa.array([(i * i * 1_000_003) - 2**40 for i in range(200)], pa.int64()),
        "delta_length": pa.array([f"name-{i % 13}-" + "x" * (i % 5) if i % 11 else None for i in range(200)], pa.string()),
        "delta_bytes": pa.array([f"2026-11-{(i % 28) + 1:02d}/part-{i:04d}" for i in range(200)], pa.string()),
        "split_float": pa.array([i / 8 - 3.5 if i % 6 else None for i in range(200)], pa.float32()),
        "split_double": pa.array([math.sqrt(i) * (-1) ** i for i in range(200)], pa.float64()),
        "rle_bool": pa.array([i % 3 == 0 if i % 10 else None for i in range(200)], pa.bool_()),
    })
    encodings = {"delta_int32": "DELTA_BINARY_PACKED", "delta_int64": "DELTA_BINARY_PACKED", "delta_length": "DELTA_LENGTH_BYTE_ARRAY",
                 "delta_bytes": "DELTA_BYTE_ARRAY", "split_float": "BYTE_STREAM_SPLIT", "split_double": "BYTE_STREAM_SPLIT", "rle_bool": "RLE"}
    for version in ["1.0", "2.0"]:
        name = f"encodings-v{version[0]}"
        pq.write_table(enc, out(name + ".parquet"), use_dictionary=False, column_encoding=encodings, compression="snappy", data_page_version=version)
        expect_from_file(name, "encodings")

    # Logical types, each with a null.
    def with_null(values, typ):
        return pa.array(values + [None], typ)
    utc = datetime.timezone.utc
    moments = [datetime.datetime(2026, 11, 1, 12, 30, 15, 250000), datetime.datetime(1969, 12, 31, 23, 59, 59, 999000), datetime.datetime(2000, 2, 29)]
    types = pa.table({
        "bool": with_null([True, False, True], pa.bool_()),
        "int8": with_null([-128, 0, 127], pa.int8()),
        "int16": with_null([-32768, 1, 32767], pa.int16()),
        "int32": with_null([-2**31, 2, 2**31 - 1], pa.int32()),
        "int64": with_null([-2**63, 3, 2**63 - 1], pa.int64()),
        "uint8": with_null([0, 1, 255], pa.uint8()),
        "uint16": with_null([0, 2, 65535], pa.uint16()),
        "uint32": with_null([0, 3, 2**32 - 1], pa.uint32()),
        "uint64": with_null([0, 4, 2**64 - 1], pa.uint64()),
        "float32": with_null([1.5, -0.25, float("nan")], pa.float32()),
        "float64": with_null([0.1, -1e-05, float("inf")], pa.float64()),
        "float16": with_null([0.5, -2.0, 1.25], pa.float16()),
        "date": with_null([datetime.date(2026, 11, 1), datetime.date(1969, 12, 31), datetime.date(1, 1, 1)], pa.date32()),
        "time_ms": with_null([datetime.time(12, 30, 15, 250000), datetime.time(0, 0), datetime.time(23, 59, 59, 999000)], pa.time32("ms")),
        "time_us": with_null([datetime.time(12, 30, 15, 123456), datetime.time(0, 0, 1), datetime.time(23, 59, 59)], pa.time64("us")),
        "time_ns": pa.array([45_015_123_456_789, 1, 0, None], pa.time64("ns")),
        "ts_ms": with_null(moments, pa.timestamp("ms")),
        "ts_us_utc": with_null([m.replace(tzinfo=utc) for m in moments], pa.timestamp("us", tz="UTC")),
        "ts_ns_utc": pa.array([1_793_535_015_123_456_789, -1, 0, None], pa.timestamp("ns", tz="UTC")),
        "ts_ns": pa.array([1_793_535_015_123_456_789, -1_000_000_001, 86_400_000_000_000, None], pa.timestamp("ns")),
        "dec_9_2": with_null([decimal.Decimal("1234567.89"), decimal.Decimal("-0.05"), decimal.Decimal("0.00")], pa.decimal128(9, 2)),
        "dec_18_4": with_null([decimal.Decimal("-12345678901234.5678"), decimal.Decimal("1.0000"), decimal.Decimal("0.0001")], pa.decimal128(18, 4)),
        "dec_38_10": with_null([decimal.Decimal("-1234567890123456789012345678.0123456789"), decimal.Decimal("9" * 28 + "." + "9" * 10), decimal.Decimal("-0.0000000001")], pa.decimal128(38, 10)),
        "string": with_null(["héllo", "", "line\nbreak, \"quoted\""], pa.string()),
        "large_string": with_null(["a", "bb", "ccc"], pa.large_string()),
        "binary": with_null([b"\x00\x01\xff", b"", b"sluice"], pa.binary()),
        "fixed": with_null([b"abcd", b"\x00\x00\x00\x00", b"\xff\xfe\xfd\xfc"], pa.binary(4)),
        "uuid": pa.array([uuid.UUID("12345678-1234-5678-9abc-def012345678").bytes, uuid.UUID(int=0).bytes, uuid.UUID(int=2**128 - 1).bytes, None], pa.uuid()),
        "category": pa.array(["red", "green", "red", None]).dictionary_encode(),
    })
    pq.write_table(types, out("types.parquet"), compression="snappy", store_decimal_as_integer=True)
    expect_from_file("types")
    pq.write_table(pa.table({"ts": types.column("ts_ns"), "n": types.column("int32")}), out("int96.parquet"), use_deprecated_int96_timestamps=True)
    expect_from_file("int96")

    # polars (zstd by default) and DuckDB.
    pl.read_csv(os.path.join(DATASETS, "penguins.csv"), n_rows=80).write_parquet(out("polars-penguins.parquet"))
    expect_from_file("polars-penguins")
    # All 344 rows in row groups of 40: validate --threads checks row groups apart.
    pl.read_csv(os.path.join(DATASETS, "penguins.csv")).write_parquet(out("polars-penguins-groups.parquet"), row_group_size=40)
    expect_from_file("polars-penguins-groups")
    duckdb.sql(f"COPY (SELECT * FROM read_csv_auto('{os.path.join(DATASETS, 'diamonds.csv')}') LIMIT 150) TO '{out('duckdb-diamonds.parquet')}' (FORMAT parquet)")
    expect_from_file("duckdb-diamonds")
    many_values()

    # Inputs Sluice refuses, each with a clear message.
    bad = os.path.join(HERE, "bad")
    os.makedirs(bad, exist_ok=True)
    pq.write_table(pa.table({"id": [1, 2], "tags": [["a"], ["b", "c"]]}), os.path.join(bad, "nested.parquet"))
    pq.write_table(taxis.slice(0, 10), os.path.join(bad, "brotli.parquet"), compression="brotli")

    with open(out("VERSIONS.txt"), "w") as f:
        f.write(f"pyarrow {pa.__version__}\npolars {pl.__version__}\nduckdb {duckdb.__version__}\nnumpy {np.__version__}\n")


def many_values():
    """More distinct values than the profiler counts exactly (1,024 numbers, 1,024 labels),
    on small pages, so its batches by dictionary entry must give way to the row order
    within a batch; a small dictionary limit makes some chunks fall back to plain pages;
    `dense` has no nulls, so its dictionary pages go straight to the sketches."""
    rows = 3000
    def wide(i):
        if i % 17 == 0:
            return None
        special = {5: 0.0, 6: -0.0, 7: float("nan"), 8: float("inf"), 9: float("-inf")}
        return special.get(i % 400, round((i * 0.37) % 997.3, 3))
    table = pa.table({
        "wide": pa.array([wide(i) for i in range(rows)], pa.float64()),
        "few": pa.array([None if i % 11 == 0 else (i * 7) % 30 - 5 for i in range(rows)], pa.int64()),
        "label": pa.array([None if i % 13 == 0 else ("NA" if i % 29 == 0 else f"common-{i % 5}" if i % 3 == 0 else f"label-{(i * 7919) % 1400:04d}") for i in range(rows)], pa.string()),
        "mixed": pa.array([["1.5", "2", "NA", "x", "inf", "", "-0", "0", None][i % 9] if i % 50 else f"v{i}" for i in range(rows)], pa.string()),
        "plain": pa.array([None if i % 19 == 0 else i * 1.25 - 700 for i in range(rows)], pa.float64()),
        "dense": pa.array([0.0 if i % 97 == 0 else round((i * 0.61) % 1733.1, 2) for i in range(rows)], pa.float64()),
    })
    pq.write_table(table, out("many-values.parquet"), compression="snappy", row_group_size=1000, data_page_size=1024,
                   write_batch_size=100, dictionary_pagesize_limit=16384, use_dictionary=["wide", "few", "label", "mixed", "dense"])
    expect_from_file("many-values")


if __name__ == "__main__":
    main()
