#!/usr/bin/env bash
# Times the model-loop commands on synthetic data: sluice evaluate (binary, with champion
# and paired bootstrap) and the built-in logistic regression. Figures: docs/performance.md.
# Usage: bench/model-loop.sh [path/to/sluice]   (build first: swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/.."
SLUICE=${1:-.build/release/sluice}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import math, random, sys
work = sys.argv[1]
random.seed(1)
for rows in (100_000, 1_000_000):
    with open(f"{work}/labels-{rows}.csv", "w") as l, open(f"{work}/cand-{rows}.csv", "w") as c, open(f"{work}/champ-{rows}.csv", "w") as h:
        l.write("id,segment,label\n"); c.write("id,score\n"); h.write("id,score\n")
        for i in range(rows):
            y = random.random() < 0.3
            z = random.gauss(1.2 if y else 0, 1)
            l.write(f"r{i},{'abc'[i % 3]},{int(y)}\n")
            c.write(f"r{i},{1 / (1 + math.exp(-(z - 0.8))):.6f}\n")
            h.write(f"r{i},{1 / (1 + math.exp(-(0.8 * z + random.gauss(0, 0.5) - 0.8))):.6f}\n")
PY
head -1 templates/example/reference.csv > "$WORK/train.csv"
for _ in $(seq 25); do tail -n +2 templates/example/reference.csv >> "$WORK/train.csv"; done

# Wall time and CPU time (user + system): on a shared CI runner the CPU time is the stable figure.
source bench/timing.sh
measure() {
    local label=$1; shift
    timed "$@"
    printf '%-56s wall %6.2f s   cpu %6.2f s   peak %5s MB\n' "$label" "$timed_wall" "$timed_cpu" "$timed_rss"
}
measure "evaluate 100k rows, champion, bootstrap 1000, slices" "$SLUICE" evaluate --task binary --labels "$WORK/labels-100000.csv" --predictions "$WORK/cand-100000.csv" --champion-predictions "$WORK/champ-100000.csv" --id-column id --slice-by segment --bootstrap 1000 --config /dev/null
measure "evaluate 1M rows, no champion" "$SLUICE" evaluate --task binary --labels "$WORK/labels-1000000.csv" --predictions "$WORK/cand-1000000.csv" --id-column id --config /dev/null
measure "evaluate 1M rows, champion, bootstrap 200" "$SLUICE" evaluate --task binary --labels "$WORK/labels-1000000.csv" --predictions "$WORK/cand-1000000.csv" --champion-predictions "$WORK/champ-1000000.csv" --id-column id --bootstrap 200 --config /dev/null
measure "train logistic-regression, 100k rows x 14 columns" "$SLUICE" train --builtin logistic-regression --data "$WORK/train.csv" --schema templates/example/schema.json --output-dir "$WORK/model" --cache-dir "$WORK/cache" --log "$WORK/train.log" --config /dev/null
measure "train again (run cache hit)" "$SLUICE" train --builtin logistic-regression --data "$WORK/train.csv" --schema templates/example/schema.json --output-dir "$WORK/model" --cache-dir "$WORK/cache" --log "$WORK/train.log" --config /dev/null
measure "predict 100k rows" "$SLUICE" predict --model "$WORK/model/model.json" --data "$WORK/train.csv" --out "$WORK/preds.csv" --config /dev/null
