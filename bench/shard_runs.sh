# Sourced by the shard benchmarks (bench/parquet.sh, bench/csv-shards.sh).
#
# shard_runs N COMMAND...: runs COMMAND once per share i of N, one after the other, with
# {i} and {n} in its arguments replaced, under GNU time; prints one line with the bytes
# each job read (from its `shard i/N of DATA: read B bytes` line, in MB) and the jobs'
# total CPU seconds (user + system).
shard_runs() {
  local n="$1"; shift
  local total_cpu=0 bytes=() i report log user sys args
  for i in $(seq 1 "$n"); do
    report=$(mktemp); log=$(mktemp)
    args=("${@//\{i\}/$i}"); args=("${args[@]//\{n\}/$n}")
    /usr/bin/time -f "%U %S" -o "$report" "${args[@]}" 2>"$log" >/dev/null || { echo "bench: share $i/$n failed:" >&2; cat "$log" >&2; }
    read -r user sys < "$report"
    total_cpu=$(awk -v t="$total_cpu" -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", t + u + s }')
    bytes+=("$(sed -n 's/.*read \([0-9]*\) bytes.*/\1/p' "$log" | awk '{ printf "%.1f", $1 / 1e6 }')")
    rm -f "$report" "$log"
  done
  printf 'N=%-3s bytes read per shard (MB): %-36s total CPU s: %s\n' "$n" "${bytes[*]}" "$total_cpu"
}
