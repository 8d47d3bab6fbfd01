#!/usr/bin/env bash
# Serving benchmark: `sluice serve` (release build, the example's built-in logistic
# regression) against MLServer (PyPI, scikit-learn runtime, an equivalent logistic
# regression) on loopback under wrk: requests/s, p50/p99 latency, peak RSS, cold start
# (process start to a 200 from /v2/health/ready) and image size.
# Usage: bench/serve.sh [SECONDS] [CONNECTIONS]   (results: bench/results/serve.txt)
# Needs: wrk (ci/packages/serve.txt), bench/venv with mlserver, mlserver-sklearn, pandas.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-16}
work="$PWD/bench/data/serve"
results="$PWD/bench/results"
mkdir -p "$results"
rm -rf "$work" && mkdir -p "$work"

[ -x bench/venv/bin/mlserver ] || { python3 -m venv bench/venv && bench/venv/bin/pip install -q mlserver mlserver-sklearn scikit-learn pandas; }
# A scratch path of its own, so the benchmark's release build never waits on a debug one
# (SLUICE_BIN=path skips the build and measures that binary).
if [ -z "${SLUICE_BIN:-}" ]; then
  swift build -c release --product sluice --scratch-path .build-release >/dev/null
fi
sluice="${SLUICE_BIN:-$PWD/.build-release/release/sluice}"

cp templates/example/{reference.csv,holdout.csv,schema.json,sluice.yml} "$work/"
(cd "$work" && "$sluice" train --quiet >/dev/null 2>&1 || "$sluice" train >/dev/null)
bench/venv/bin/python bench/serve_mlserver.py templates/example "$work"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work/mlserver/churn/__pycache__"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
# wait_ready URL: polls every 10 ms; prints nothing, fails after 120 s.
wait_ready() {
  for _ in $(seq 1 12000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.01
  done
  echo "not ready: $1" >&2; return 1
}

# start NAME COMMAND...: runs the server in the background; sets $pid and $cold (seconds).
start() {
  local name=$1 url=$2; shift 2
  local t0; t0=$(now)
  "$@" > "$work/$name.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_ready "$url"
  cold=$(echo "$(now) - $t0" | bc)
}

lua() {
  cat > "$work/$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/$1-body.json"); wrk.body = f:read("*a"); f:close()
LUA
}
lua sluice; lua mlserver

# load NAME URL PID: wrk for $seconds; prints "rps p50 p99 rss_mib cpu_seconds".
load() {
  local name=$1 url=$2 pid=$3
  local cpu0; cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/$name.lua" "$url" > "$work/$name.wrk"
  local cpu1; cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  local rps p50 p99 errors rss
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$name.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.wrk")
  errors=$(awk '/Non-2xx/ {print $5}' "$work/$name.wrk")
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  echo "$rps $p50 $p99 $rss $(echo "($cpu1 - $cpu0) / $(getconf CLK_TCK)" | bc -l | xargs printf '%.1f') ${errors:-0}"
}

sport=$(free_port)
start sluice "http://127.0.0.1:$sport/v2/health/ready" "$sluice" serve --model "$work/.sluice/model" --name churn --host 127.0.0.1 --port "$sport"
sluice_pid=$pid sluice_cold=$cold
curl -s -H "content-type: application/json" --data-binary @"$work/sluice-body.json" "http://127.0.0.1:$sport/v2/models/churn/infer" > "$work/sluice-answer.json"
sluice_load=$(load sluice "http://127.0.0.1:$sport/v2/models/churn/infer" "$sluice_pid")
kill "$sluice_pid"

mport=$(free_port) gport=$(free_port) metrics_port=$(free_port)
cat > "$work/mlserver/settings.json" <<JSON
{"http_port": $mport, "grpc_port": $gport, "metrics_port": $metrics_port, "parallel_workers": 0, "debug": false}
JSON
start mlserver "http://127.0.0.1:$mport/v2/health/ready" bench/venv/bin/mlserver start "$work/mlserver"
ml_pid=$pid ml_cold=$cold
curl -s -H "content-type: application/json" --data-binary @"$work/mlserver-body.json" "http://127.0.0.1:$mport/v2/models/churn/infer" > "$work/mlserver-answer.json"
ml_load=$(load mlserver "http://127.0.0.1:$mport/v2/models/churn/infer" "$ml_pid")
kill "$ml_pid"

# Image sizes: the example packaged with the runtime layer; MLServer's side is its venv
# (a Python base image comes on top; no Docker Hub here to pull one).
(cd "$work" && "$sluice" package --runtime --layer model=.sluice/model:/model --layout image --format json > package.json)
sluice_compressed=$(python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(open(sys.argv[1]))["layers"]))' "$work/package.json")
umoci unpack --rootless --image "$work/image:latest" "$work/unpacked" >/dev/null 2>&1
sluice_unpacked=$(du -sb "$work/unpacked/rootfs" | cut -f1)
venv_size=$(du -sb bench/venv | cut -f1)

{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB; load average before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wrk: -t2 -c$connections -d${seconds}s, one row per request, loopback"
  echo "server rps p50 p99 peak_rss_mib cpu_s non2xx cold_start_s"
  echo "sluice $sluice_load $sluice_cold"
  echo "mlserver $ml_load $ml_cold (parallel_workers 0: inference in the one process)"
  echo "sluice image: $((sluice_compressed / 1048576)) MiB compressed, $((sluice_unpacked / 1048576)) MiB unpacked"
  echo "mlserver venv: $((venv_size / 1048576)) MiB (before any Python base image)"
  echo "sluice answer: $(cat "$work/sluice-answer.json")"
  echo "mlserver answer: $(cat "$work/mlserver-answer.json")"
} | tee "$results/serve.txt"
