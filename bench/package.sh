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

source ci/registry
trap 'stop_test_registries; rm -rf "$work"' EXIT
start_test_registries >/dev/null
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

# run NAME COMMAND...: wall seconds and peak RSS (MiB) of COMMAND, appended to $timings.
timings="$work/timings"
: > "$timings"
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" > "$work/$name.stdout" 2> "$work/$name.stderr" || { cat "$work/$name.stderr" >&2; exit 1; }
  read -r seconds kib < "$work/time.out"
  echo "$name $seconds $((kib / 1024))" >> "$timings"
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
umoci_e2e=$(echo "$(date +%s.%N) - $umoci_e2e_start" | bc)
# Retrain: new model files, repack (umoci adds a layer with the changed files), push.
before=$(stored)
for i in 1 2 3 4; do head -c "$((size_mib / 4))M" /dev/urandom > "$work/bundle/rootfs/app/model/part-$i.bin"; done
run umoci-repack2 umoci repack --image "$work/umoci:v1" "$work/bundle"
run skopeo-repush skopeo copy --dest-tls-verify=false "oci:$work/umoci:v1" "docker://$registry/bench/umoci:v2"
umoci_repush_bytes=$(( $(stored) - before ))

mib() { echo "scale=1; $1 / 1048576" | bc; }
rate() { echo "scale=0; $size_mib / $1" | bc; }
sluice_e2e=$(field sluice-push 2)
umoci_layer=$(field umoci-repack 2)
umoci_rss=$(field umoci-repack 3); skopeo_rss=$(field skopeo-push 3)
cat > "$results/package.md" <<TABLE
Model: $size_mib MiB of random bytes in 4 files, plus 20 MiB of dependency text and one code file.
$(nproc) cores; $(date -u +%Y-%m-%d); docker-registry $(docker-registry --version | awk '{print $3}'), umoci $(umoci --version | awk '{print $3}'), skopeo $(skopeo --version | awk '{print $3}').

| measure | Sluice | umoci + skopeo |
|---|---|---|
| layer writing (tar+gzip+digests) | $(field sluice-layout 2) s, $(rate "$(field sluice-layout 2)") MiB/s | umoci repack $umoci_layer s, $(rate "$umoci_layer") MiB/s |
| gzip -1 of the model alone (floor) | $(field gzip1 2) s, $(rate "$(field gzip1 2)") MiB/s | |
| peak RSS | $(field sluice-push 3) MiB (package + push) | umoci repack $umoci_rss MiB, skopeo copy $skopeo_rss MiB |
| end to end, package + push | $sluice_e2e s | $umoci_e2e s (unpack, copy files, repack, push) |
| model-only re-push: bytes added to the registry | $(mib "$sluice_repush_bytes") MiB | $(mib "$umoci_repush_bytes") MiB |
| model-only re-push: time | $(field sluice-repush 2) s | $(echo "$(field umoci-repack2 2) + $(field skopeo-repush 2)" | bc) s |
TABLE
cat "$results/package.md"
