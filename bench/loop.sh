#!/usr/bin/env bash
# The whole loop at scale: `sluice run` on the bundled example (templates/example)
# resampled to LOOP_ROWS rows per file (default 1,000,000: reference, current and holdout
# each), printing wall time, CPU time and peak RSS per stage.
# Figures: docs/performance.md ("The loop at a million rows").
# Usage: bench/loop.sh [path/to/sluice]   (default: a release build of this checkout)
# LOOP_WARM_LAYERS=1 starts the project with the runtime layer cache (.sluice/cache/layers) the
# previous such run left in bench/data/layer-cache, as a CI job with its run cache restored.
# Data goes to bench/data/loop-<rows>/ (git-ignored, made once), results to bench/results/loop.txt
# and the run's report to bench/results/loop-run.json (to compare two builds' results).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${LOOP_ROWS:-1000000}
if [ $# -ge 1 ]; then
  sluice=$(realpath "$1")
else
  swift build -c release --product sluice >/dev/null
  sluice=$(realpath .build/release/sluice)
fi

data=bench/data/loop-$rows
if [ ! -s "$data/holdout.csv" ]; then
  mkdir -p "$data"
  python3 bench/loop_data.py templates/example "$data" "$rows"
fi
# A fresh project each time: the example's config, schema and champion, no run cache.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp templates/example/sluice.yml templates/example/schema.json "$work/"
cp -r templates/example/champion "$work/"
for file in reference current holdout; do ln -s "$(realpath "$data/$file.csv")" "$work/$file.csv"; done
layers=bench/data/layer-cache
if [ -n "${LOOP_WARM_LAYERS:-}" ] && [ -d "$layers" ]; then
  mkdir -p "$work/.sluice/cache" && cp -a "$layers" "$work/.sluice/cache/layers"
fi

mkdir -p bench/results
{
  echo "sluice run, example resampled to $rows rows per file; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
  root=$PWD
  (cd "$work" && python3 "$root/bench/loop_stages.py" "$sluice" run 2> "$root/bench/results/loop-run.log")
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
} | tee bench/results/loop.txt
cp "$work/.sluice/latest/run.json" bench/results/loop-run.json
if [ -n "${LOOP_WARM_LAYERS:-}" ] && [ -d "$work/.sluice/cache/layers" ]; then
  rm -rf "$layers" && cp -a "$work/.sluice/cache/layers" "$layers"
fi
