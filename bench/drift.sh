#!/usr/bin/env bash
# Profile and drift benchmark (docs/performance.md, "Profile and drift").
#
# sluice profile and sluice drift on a 1 GB CSV against a 1 GB reference, peak RSS for 1 GB
# and 5 GB inputs, plain validation of the same file for comparison, and Evidently's
# DataDriftTable on the same data or the largest slice it survives. Data goes to bench/data,
# Evidently to bench/venv (both git-ignored); results to bench/results/drift.txt.
# DRIFT_BENCH_PEERS=0 skips Evidently (it takes most of the time). DRIFT_BENCH_PARTS=mixed
# runs only the comparison of profile with validate on bench/validate.sh's 1 GB mixed file
# (bench/generate.py; BENCH_MB sizes it), which prints the ratio of their CPU times.
set -euo pipefail
cd "$(dirname "$0")/.."

data=bench/data
results=bench/results
mkdir -p "$data" "$results"

parts=${DRIFT_BENCH_PARTS:-all}
if [ "$parts" != mixed ]; then
  if [ ! -x bench/venv/bin/python ] || ! bench/venv/bin/python -c "import evidently, pandas" 2>/dev/null; then
    python3 -m venv bench/venv
    bench/venv/bin/pip install -q 'evidently==0.7.23' 'pandas<3'
  fi
  py=bench/venv/bin/python

  generate() { # megabytes shift seed path
    [ -s "$4" ] || "$py" bench/drift_data.py --megabytes "$1" --shift "$2" --seed "$3" --out "$4"
  }
  generate 1000 0 1 "$data/drift_reference_1g.csv"
  generate 1000 1 2 "$data/drift_current_1g.csv"
  # 5 GB: the 1 GB current data five times (same distribution, five times the rows).
  if [ ! -s "$data/drift_current_5g.csv" ]; then
    { cat "$data/drift_current_1g.csv"; for _ in 1 2 3 4; do tail -n +2 "$data/drift_current_1g.csv"; done; } > "$data/drift_current_5g.csv"
  fi
fi

swift build -c release --product sluice >/dev/null
sluice=.build/release/sluice
report="$results/drift.txt"
: > "$report"

source bench/timing.sh
declare -A cpu_of
# measure LABEL INPUT_BYTES COMMAND...: wall time, CPU time, throughput over INPUT_BYTES by
# each, and peak RSS; the command's output is kept in $results/LABEL.out.
measure() {
  local label=$1 bytes=$2
  shift 2
  timed_stdout="$results/$label.out" timed "$@"
  cpu_of[$label]=$timed_cpu
  awk -v l="$label" -v s="$timed_wall" -v c="$timed_cpu" -v m="$timed_rss" -v b="$bytes" -v st="$timed_status" \
    'BEGIN { printf "%-28s %7.1f s wall %7.1f s cpu %8.1f MB/s wall %8.1f MB/s cpu %7.0f MB peak RSS%s\n", l, s, c, b / 1e6 / s, b / 1e6 / c, m, (st == 0 || st == 1) ? "" : "  (failed, exit " st ")" }' | tee -a "$report"
}

size() { stat -L -c %s "$@" | awk '{ s += $1 } END { print s }'; }

# Profile against validate on the mixed file (docs/performance.md, "Profile against
# validate on the 1 GB mixed file"): same file, same schema, one thread each.
mixed=bench/data/bench.csv
mixed_schema=bench/data/bench.schema.json
mixed_mb=${BENCH_MB:-1000}
if [ ! -f "$mixed" ] || [ "$(( $(stat -L -c %s "$mixed") / 1000000 ))" -lt "$(( mixed_mb * 95 / 100 ))" ]; then
  python3 bench/generate.py "$mixed" "$mixed_schema" "$mixed_mb"
fi
measure "validate mixed" "$(size "$mixed")" "$sluice" validate "$mixed" --schema "$mixed_schema" --quiet --threads 1
measure "profile mixed" "$(size "$mixed")" "$sluice" profile "$mixed" --schema "$mixed_schema" --out "$results/mixed.profile.json" --quiet
measure "validate --profile mixed" "$(size "$mixed")" "$sluice" validate "$mixed" --schema "$mixed_schema" --profile "$results/mixed.vprofile.json" --quiet
awk -v p="${cpu_of[profile mixed]}" -v v="${cpu_of[validate mixed]}" -v b="${cpu_of[validate --profile mixed]}" \
  'BEGIN { printf "profile / validate CPU: %.2f; validate --profile / validate CPU: %.2f (load %s)\n", p / v, b / v, "'"$(cut -d' ' -f1-3 /proc/loadavg)"'" }' | tee -a "$report"
[ "$parts" != mixed ] || exit 0

ref1=$data/drift_reference_1g.csv
cur1=$data/drift_current_1g.csv
cur5=$data/drift_current_5g.csv

if "$sluice" validate --help >/dev/null 2>&1; then
  measure "validate 1 GB" "$(size "$ref1")" "$sluice" validate "$ref1" --schema bench/drift_schema.json --threads 1
fi
measure "profile 1 GB" "$(size "$ref1")" "$sluice" profile "$ref1" --schema bench/drift_schema.json --out "$results/reference.profile.json"
measure "profile 5 GB" "$(size "$cur5")" "$sluice" profile "$cur5" --schema bench/drift_schema.json --out "$results/current5.profile.json"
measure "drift 1 GB vs 1 GB" "$(size "$ref1" "$cur1")" "$sluice" drift --reference "$ref1" --current "$cur1" --schema bench/drift_schema.json
measure "drift 1 GB vs 5 GB" "$(size "$ref1" "$cur5")" "$sluice" drift --reference "$ref1" --current "$cur5" --schema bench/drift_schema.json
measure "validate --profile 1 GB" "$(size "$ref1")" "$sluice" validate "$ref1" --schema bench/drift_schema.json --profile "$results/validate.profile.json"
measure "drift profile vs profile" 0 "$sluice" drift --reference "$results/reference.profile.json" --current "$results/current5.profile.json"
echo "sluice verdict (1 GB vs 1 GB): $(head -1 "$results/drift 1 GB vs 1 GB.out")" | tee -a "$report"

# Evidently: the whole 1 GB pair, else halve the slice until it survives (24 GiB machine).
[ "${DRIFT_BENCH_PEERS:-1}" = 1 ] || exit 0
for megabytes in 1000 500 250 100; do
  ref=$data/drift_reference_${megabytes}m.csv
  cur=$data/drift_current_${megabytes}m.csv
  if [ "$megabytes" = 1000 ]; then ref=$ref1; cur=$cur1; fi
  [ -s "$ref" ] || head -c "${megabytes}000000" "$ref1" | sed '$d' > "$ref"
  [ -s "$cur" ] || head -c "${megabytes}000000" "$cur1" | sed '$d' > "$cur"
  measure "evidently ${megabytes} MB pair" "$(size "$ref" "$cur")" "$py" bench/evidently_drift.py "$ref" "$cur"
  if [ "$(cat "$results/evidently ${megabytes} MB pair.out")" != "" ]; then
    echo "evidently verdict (${megabytes} MB pair): $(cat "$results/evidently ${megabytes} MB pair.out")" | tee -a "$report"
    if [ "$megabytes" != 1000 ]; then
      measure "sluice drift ${megabytes} MB pair" "$(size "$ref" "$cur")" "$sluice" drift --reference "$ref" --current "$cur" --schema bench/drift_schema.json
    fi
    break
  fi
done
