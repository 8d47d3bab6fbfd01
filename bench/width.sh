#!/usr/bin/env bash
# Width benchmark (docs/performance.md, "Width: memory per column"): peak RSS and time of
# `sluice profile` on wide tables, against the stated budget of 1 GB for 100,000 columns.
#
# Tables (written once to bench/data): 100,000 empty columns; 100,000 filled columns x 50
# rows (even columns integers 0-999, odd columns one of 100 labels); 10,000 filled numeric
# columns x 2,000 rows (every column past its exact counts: a compacted KLL sketch and dense
# HyperLogLog registers, the costliest numeric state); a 1 MB header of 1,000,000 columns
# (must stop at the column limit). Results go to bench/results/width.txt.
# SLUICE=path uses that binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."

data=bench/data
results=bench/results
mkdir -p "$data" "$results"

if [ -z "${SLUICE:-}" ]; then
  swift build -c release --product sluice >/dev/null
  SLUICE=.build/release/sluice
fi

write_table() { # columns rows kind path
  [ -s "$4" ] || python3 - "$@" <<'PY'
import random, sys
columns, rows, kind, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(1)
with open(path, "w") as out:
    out.write(",".join(f"c{i}" for i in range(columns)) + "\n")
    for _ in range(rows):
        if kind == "empty":
            cells = [""] * columns
        elif kind == "mixed":
            cells = [str(rng.randrange(1000)) if i % 2 == 0 else f"l{rng.randrange(100)}" for i in range(columns)]
        else:
            cells = [f"{rng.random() * 1000:.3f}" for _ in range(columns)]
        out.write(",".join(cells) + "\n")
PY
}
write_table 100000 2 empty "$data/width_empty_100k.csv"
write_table 100000 50 mixed "$data/width_filled_100k.csv"
write_table 10000 2000 numbers "$data/width_numbers_10k.csv"
[ -s "$data/width_header_1m.csv" ] || { printf '%0.s,' $(seq 999999); echo; } > "$data/width_header_1m.csv"

report="$results/width.txt"
: > "$report"
source bench/timing.sh
# width LABEL CSV: `sluice profile` of one table; its stderr is kept in width.err.
width() {
  timed "$SLUICE" profile "$2" --out "$results/width.profile.json" --quiet
  printf '%s\n' "$timed_stderr" > "$results/width.err"
  awk -v l="$1" -v s="$timed_wall" -v c="$timed_cpu" -v m="$timed_rss" -v st="$timed_status" -v b="$(stat -c %s "$2")" \
    'BEGIN { printf "%-44s %8.1f MB file %7.1f s wall %7.1f s cpu %7.0f MB peak RSS  exit %d\n", l, b / 1e6, s, c, m, st }' | tee -a "$report"
}
width "100,000 empty columns x 2 rows" "$data/width_empty_100k.csv"
width "100,000 filled columns x 50 rows" "$data/width_filled_100k.csv"
width "10,000 many-valued numeric columns x 2,000 rows" "$data/width_numbers_10k.csv"
width "1,000,000 columns (1 MB header)" "$data/width_header_1m.csv"
