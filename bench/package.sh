#!/usr/bin/env bash
# Packaging benchmark: a model directory (default 1 GiB) packaged and pushed to a local
# docker-registry by Sluice, against umoci (layer) + skopeo (push) doing the same.
# Measures layer-writing throughput, peak RSS, end-to-end time, and the bytes a model-only
# re-push adds to the registry. Usage: bench/package.sh [SIZE_MIB]   (results: bench/results/)
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=${1:-1024}
work="$PWD/bench/data/package"
results="$PWD/bench/results"
mkdir -p "$results"
rm -rf "$work" && mkdir -p "$work"

swift build -c release --product sluice >/dev/null
sluice="$PWD/.build/release/sluice"

source ci/services.sh
trap 'stop_test_services; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
start_test_services >/dev/null
registry=$SLUICE_TEST_REGISTRY
storage="$SLUICE_REGISTRY_WORK/open-data"

# The project: a model of incompressible weights (like float tensors) in four files, 20 MiB
# of dependencies (text, compressible) and a little code.
write_model() {
  for i in 1 2 3 4; do head -c "$((size_mib / 4))M" /dev/urandom > "$work/project/model/part-$i.bin"; done
}
mkdir -p "$work/project/model" "$work/project/deps" "$work/project/src"
write_model
for i in $(seq 1 200); do seq 1 13000 | sed "s/^/package-$i==/" > "$work/project/deps/lock-$i.txt"; done
echo "print('serve')" > "$work/project/src/serve.py"

# run NAME COMMAND...: wall seconds, peak RSS (MiB) and CPU seconds (user + system) of
# COMMAND, appended to $timings. CPU seconds are the steadier figure on a shared machine.
timings="$work/timings"
: > "$timings"
source bench/timing.sh
run() {
  local name=$1; shift
  timed_stdout="$work/$name.stdout" timed "$@"
  [ "$timed_status" -eq 0 ] || { printf '%s\n' "$timed_stderr" >&2; exit 1; }
  echo "$name $timed_wall $timed_rss $timed_cpu" >> "$timings"
}
stored() { du -sb "$storage" 2>/dev/null | cut -f1 || echo 0; }
field() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$timings"; }

layers=(--layer "dependencies=deps:/opt/deps" --layer "code=src:/app/src" --layer "model=model:/app/model")
repository_root=$PWD
cd "$work/project"

# Compression alone, the floor for layer writing: gzip -1 of the model bytes.
run gzip1 sh -c 'cat model/* | gzip -1 > /dev/null'

# Sluice: layout only (layer writing), then package + push, then a retrain's re-push.
run sluice-layout "$sluice" package "${layers[@]}" --layout ../sluice-layout --quiet --cache-dir ../cache
rm -rf ../sluice-layout
run sluice-layout-store "$sluice" package "${layers[@]}" --layout ../sluice-layout --quiet --cache-dir ../cache --compression-level 0
rm -rf ../sluice-layout
run sluice-push "$sluice" package "${layers[@]}" --layout ../sluice-push --push "$registry/bench/sluice:v1" --quiet --cache-dir ../cache --format json
before=$(stored)
write_model
run sluice-repush "$sluice" package "${layers[@]}" --layout ../sluice-push --push "$registry/bench/sluice:v2" --quiet --cache-dir ../cache --format json
sluice_repush_bytes=$(( $(stored) - before ))
cd "$repository_root"

# umoci + skopeo: unpack an empty image, copy the files in, repack one layer, push.
project="$work/project"
umoci_e2e_start=$(date +%s.%N)
run umoci-init umoci init --layout "$work/umoci"
run umoci-new umoci new --image "$work/umoci:v1"
run umoci-unpack umoci unpack --rootless --image "$work/umoci:v1" "$work/bundle"
mkdir -p "$work/bundle/rootfs/opt" "$work/bundle/rootfs/app"
cp -a "$project/deps" "$work/bundle/rootfs/opt/deps"
cp -a "$project/src" "$work/bundle/rootfs/app/src"
cp -a "$project/model" "$work/bundle/rootfs/app/model"
run umoci-repack umoci repack --image "$work/umoci:v1" "$work/bundle"
run skopeo-push skopeo copy --dest-tls-verify=false "oci:$work/umoci:v1" "docker://$registry/bench/umoci:v1"
umoci_e2e=$(printf "%.2f" "$(echo "$(date +%s.%N) - $umoci_e2e_start" | bc)")
# Retrain: new model files, repack (umoci adds a layer with the changed files), push.
before=$(stored)
for i in 1 2 3 4; do head -c "$((size_mib / 4))M" /dev/urandom > "$work/bundle/rootfs/app/model/part-$i.bin"; done
run umoci-repack2 umoci repack --image "$work/umoci:v1" "$work/bundle"
run skopeo-repush skopeo copy --dest-tls-verify=false "oci:$work/umoci:v1" "docker://$registry/bench/umoci:v2"
umoci_repush_bytes=$(( $(stored) - before ))

mib() { echo "scale=1; $1 / 1048576" | bc; }
rate() { echo "scale=0; $size_mib / $1" | bc; }
wall_cpu() { echo "$(field "$1" 2) s wall, $(field "$1" 4) s CPU"; }
sum() { local total=0; for name in "$@"; do total=$(echo "$total + $(field "$name" "$column")" | bc); done; echo "$total"; }
column=4; umoci_cpu=$(sum umoci-init umoci-new umoci-unpack umoci-repack skopeo-push); umoci_recpu=$(sum umoci-repack2 skopeo-repush)
column=2; umoci_rewall=$(sum umoci-repack2 skopeo-repush)
cat > "$results/package.md" <<TABLE
Model: $size_mib MiB of random bytes in 4 files, plus 20 MiB of dependency text and one code file.
$(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end; $(date -u +%Y-%m-%d); docker-registry $(docker-registry --version | awk '{print $3}'), umoci $(umoci --version | awk '{print $3}'), skopeo $(skopeo --version | awk '{print $3}').

| measure | Sluice | umoci + skopeo |
|---|---|---|
| layer writing (tar, gzip, digests) | $(wall_cpu sluice-layout); $(rate "$(field sluice-layout 2)") MiB/s | umoci repack: $(wall_cpu umoci-repack); $(rate "$(field umoci-repack 2)") MiB/s |
| layer writing, \`--compression-level 0\` | $(wall_cpu sluice-layout-store); $(rate "$(field sluice-layout-store 2)") MiB/s | |
| gzip -1 of the model alone (one core) | $(wall_cpu gzip1); $(rate "$(field gzip1 2)") MiB/s | |
| peak RSS | $(field sluice-push 3) MiB (package + push) | umoci repack $(field umoci-repack 3) MiB, skopeo copy $(field skopeo-push 3) MiB |
| end to end, package + push | $(wall_cpu sluice-push) | $umoci_e2e s wall, $umoci_cpu s CPU (unpack, copy, repack, push) |
| model-only re-push: bytes added to the registry | $(mib "$sluice_repush_bytes") MiB | $(mib "$umoci_repush_bytes") MiB |
| model-only re-push: time | $(wall_cpu sluice-repush) | $umoci_rewall s wall, $umoci_recpu s CPU |
TABLE
cat "$results/package.md"
