# Sourced by the bench scripts: one way to time a command and to print its row, so every
# table in docs/performance.md is measured the same way.
#
# CPU seconds are user + system time of the command and its threads (steadier than wall
# time on a shared machine); peak RSS is GNU time's maximum resident set size.

command -v /usr/bin/time >/dev/null || { echo "bench: installing GNU time" >&2; apt-get install -y -qq time >/dev/null; }

# timed COMMAND...: runs COMMAND once under GNU time, its standard output discarded (or
# written to the file $timed_stdout when set: `timed_stdout=FILE timed ...`); sets
# timed_wall (s), timed_cpu (user + system s), timed_rss (MB), timed_status (the exit code)
# and timed_stderr (what it wrote on standard error). Never fails itself.
timed() {
  local times user sys kilobytes
  times=$(mktemp)
  timed_status=0
  /usr/bin/time -f "%e %U %S %M" -o "$times" "$@" >"${timed_stdout:-/dev/null}" 2>"$times.err" || timed_status=$?
  # GNU time puts "Command exited with non-zero status N" above its figures.
  read -r timed_wall user sys kilobytes < <(tail -1 "$times")
  timed_stderr=$(cat "$times.err")
  rm -f "$times" "$times.err"
  timed_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  timed_rss=$(awk -v k="$kilobytes" 'BEGIN { printf "%.0f", k / 1024 }')
}

# per_second MEGABYTES SECONDS: MB/s to one decimal.
per_second() { awk -v m="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? m / t : 0) }'; }

# measure NAME FILE COMMAND...: times COMMAND once over FILE (a file or a directory) and
# appends its row (size, wall and CPU seconds, MB/s by each, peak RSS, load average) to the
# array results; the row is also printed on stderr as it comes.
measure() {
  local name="$1" file="$2" size_mb load
  shift 2
  size_mb=$(du -sbL "$file" | awk '{ printf "%.1f", $1 / 1e6 }')
  load=$(cut -d' ' -f1 /proc/loadavg)
  timed "$@"
  results+=("$(printf '%-40s %8s %8s %8s %10s %10s %8s %6s' "$name" "$size_mb" "$timed_wall" "$timed_cpu" \
    "$(per_second "$size_mb" "$timed_wall")" "$(per_second "$size_mb" "$timed_cpu")" "$timed_rss" "$load")")
  echo "${results[-1]}" >&2
}

# measure_table: the header and the rows measure collected.
measure_table() {
  printf '%-40s %8s %8s %8s %10s %10s %8s %6s\n' "tool (input)" "MB" "wall s" "cpu s" "MB/s wall" "MB/s cpu" "RSS MB" "load"
  printf '%s\n' "${results[@]}"
}

# machine: the machine and its load, for the line above a table.
machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
