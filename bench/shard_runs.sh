# Sourced by the shard benchmarks (bench/parquet.sh, bench/csv-shards.sh), after
# bench/timing.sh.
#
# shard_runs N COMMAND...: runs COMMAND once per share i of N, one after the other, with
# {i} and {n} in its arguments replaced, under `timed`; prints one line with the bytes
# each job read (from its `shard i/N of DATA: read B bytes` line, in MB) and the jobs'
# total CPU seconds (user + system).
shard_runs() {
  local n="$1"; shift
  local total_cpu=0 bytes=() i args
  for i in $(seq 1 "$n"); do
    args=("${@//\{i\}/$i}"); args=("${args[@]//\{n\}/$n}")
    timed "${args[@]}"
    [ "$timed_status" -eq 0 ] || { echo "bench: share $i/$n failed:" >&2; printf '%s\n' "$timed_stderr" >&2; }
    total_cpu=$(awk -v t="$total_cpu" -v c="$timed_cpu" 'BEGIN { printf "%.2f", t + c }')
    bytes+=("$(printf '%s\n' "$timed_stderr" | sed -n 's/.*read \([0-9]*\) bytes.*/\1/p' | awk '{ printf "%.1f", $1 / 1e6 }')")
  done
  printf 'N=%-3s bytes read per shard (MB): %-36s total CPU s: %s\n' "$n" "${bytes[*]}" "$total_cpu"
}
