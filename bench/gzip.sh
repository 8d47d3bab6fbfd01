#!/usr/bin/env bash
# Benchmark of gzip input: `sluice validate` on the same CSV plain, gzip -6 (one member,
# streamed) and bgzip (BGZF blocks, inflated in parallel), beside bare inflate by gzip,
# igzip (ISA-L, the library Sluice uses), bgzip -@2 and cat.
#
#   bash bench/gzip.sh            # the first 200 MB of bench/generate.py's data (GZIP_MB)
#
# Prints wall and CPU seconds (user + system, all threads) and peak RSS per run, with the
# machine's load: CPU seconds are the comparable figure on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

GZIP_MB="${GZIP_MB:-200}"
plain=bench/data/gzip-$GZIP_MB.csv
schema=bench/data/bench.schema.json
bgzf=bench/data/gzip-$GZIP_MB.bgzf.csv.gz
source bench/timing.sh
command -v bgzip >/dev/null || apt-get install -y -qq tabix >/dev/null
command -v igzip >/dev/null || apt-get install -y -qq isal >/dev/null
mkdir -p bench/data
if [ ! -f "$plain" ]; then
  python3 bench/generate.py bench/data/gzip-source.csv "$schema" "$GZIP_MB"
  head -c "$((GZIP_MB * 1000000))" bench/data/gzip-source.csv | head -n -1 > "$plain"
  rm bench/data/gzip-source.csv
fi
[ -f "$plain.gz" ] || gzip -6 -k "$plain"
[ -f "$bgzf" ] || bgzip -c -@ 2 "$plain" > "$bgzf"

swift build -c release --product sluice >/dev/null
sluice="$(swift build -c release --show-bin-path)/sluice"

# row LABEL COMMAND...: one run under GNU time; the output is discarded.
row() {
  local label="$1"
  shift
  timed "$@"
  printf '%-36s %8s %8s %8s\n' "$label" "$timed_wall" "$timed_cpu" "$timed_rss"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
printf '%-36s %8s %8s %8s\n' "run" "wall s" "cpu s" "RSS MB"
row "cat (plain)" cat "$plain"
row "gzip -dc (gzip -6)" gzip -dc "$plain.gz"
row "igzip -dc (gzip -6)" igzip -dc "$plain.gz"
row "bgzip -dc (bgzip)" bgzip -dc "$bgzf"
row "bgzip -dc -@2 (bgzip)" bgzip -dc -@ 2 "$bgzf"
row "sluice validate (plain)" "$sluice" validate "$plain" --schema "$schema"
row "sluice validate (gzip -6)" "$sluice" validate "$plain.gz" --schema "$schema"
row "sluice validate (bgzip)" "$sluice" validate "$bgzf" --schema "$schema"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs"
