#!/usr/bin/env bash
# The CSV half of the shard benchmark: one large CSV read by N = 1, 2, 4 jobs, each a byte
# range cut at record starts.
#
#   bash bench/csv-shards.sh            # ~1000 MB CSV (BENCH_MB to change)
#
# Writes bench/generate.py's CSV and schema into bench/data/csv-shards (git-ignored), builds
# Sluice in release mode (or takes SLUICE_BIN), then for N = 1, 2, 4 runs, one job after
# the other, `sluice profile DATA --shard i/N` and `sluice validate DATA --shard i/N --part`
# (then `sluice validate merge`): bytes read per shard as each job reports them, and the
# jobs' total CPU seconds. For comparison, one plain `sluice profile` and `sluice validate`.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_MB="${BENCH_MB:-1000}"
dir=bench/data/csv-shards
data="$dir/data.csv"
schema="$dir/schema.json"

source bench/timing.sh
mkdir -p "$dir"
if [ ! -f "$data" ] || [ "$(( $(stat -c %s "$data") / 1000000 ))" -lt "$(( BENCH_MB * 95 / 100 ))" ]; then
  python3 bench/generate.py "$data" "$schema" "$BENCH_MB"
fi
if [ -z "${SLUICE_BIN:-}" ]; then
  swift build -c release --product sluice >/dev/null
  SLUICE_BIN="$(swift build -c release --show-bin-path)/sluice"
fi

# cpu COMMAND...: CPU seconds (user + system) of one run.
cpu() { timed "$@"; echo "$timed_cpu"; }

source bench/shard_runs.sh
echo "data: $data ($(du -sb "$data" | awk '{ printf "%.0f", $1 / 1e6 }') MB, $(($(wc -l < "$data") - 1)) rows)"
machine
echo "single pass, no --shard: profile CPU s $(cpu "$SLUICE_BIN" profile "$data" --out "$dir/whole.profile.json" --quiet), validate CPU s $(cpu "$SLUICE_BIN" validate "$data" --schema "$schema")"
echo "profile --shard i/N:"
for n in 1 2 4; do
  shard_runs "$n" "$SLUICE_BIN" profile "$data" --shard "{i}/{n}" --out "$dir/profile-{i}-of-{n}.json"
done
echo "validate --shard i/N --part (then validate merge):"
for n in 1 2 4; do
  shard_runs "$n" "$SLUICE_BIN" validate "$data" --schema "$schema" --shard "{i}/{n}" --part "$dir/part-{i}-of-{n}.json"
  parts=(); for i in $(seq 1 "$n"); do parts+=("$dir/part-$i-of-$n.json"); done
  echo "      validate merge of $n parts: CPU s $(cpu "$SLUICE_BIN" validate merge "${parts[@]}" --schema "$schema")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
