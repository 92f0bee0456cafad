#!/usr/bin/env bash
# profile.sh — where a lesson server's time goes under load (for make bench's misses).
#
#   tests/bench/profile.sh [SERVER] [PATH] [HEADER]
#   tests/bench/profile.sh build/bin/lesson-03 /
#   tests/bench/profile.sh build/bin/lesson-05 /index.html 'Accept-Encoding: gzip'
#
# Starts SERVER (default build/bin/lesson-03) on a free port with its output to
# /dev/null, records the whole machine with perf (software clock: works where the
# machine has no hardware counters, DWARF call graphs) while wrk holds 64 keep-alive connections for
# PROFILE_SECONDS (default 3), then prints each program's share of the CPU and the
# server's costliest functions, callees included. Needs root or
# kernel.perf_event_paranoid <= 0 for -a.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
server=${1:-$root/build/bin/lesson-03}
path=${2:-/}
header=${3:-}
seconds=${PROFILE_SECONDS:-3}
out=$root/build/bench/profile
mkdir -p "$out"

for tool in perf wrk; do
    command -v "$tool" >/dev/null || { echo "profile: $tool is missing (tools/scripts/packages-bench.txt)" >&2; exit 2; }
done
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --port "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

perf record -a --call-graph dwarf,8192 -e cpu-clock -F 499 -o "$out/perf.data" -- sleep "$((seconds + 1))" \
    >"$out/record.log" 2>&1 &
recorder=$!
sleep 0.5
args=(-t2 -c64 -d"${seconds}s" --latency)
[[ -n $header ]] && args+=(-H "$header")
wrk "${args[@]}" "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|99%'
wait "$recorder"

name=$(basename "$server")
echo "--- share of all CPU samples, by program"
perf report -i "$out/perf.data" --sort comm --stdio -g none 2>/dev/null | grep '%' | head -8
report() {
    perf report -i "$out/perf.data" --comm "${name:0:15}" --children --sort symbol --stdio \
        -g none 2>/dev/null | grep '%'
}
echo "--- $name: its own and library functions, callees included (top 30)"
report | grep -F '[.]' | head -30
echo "--- $name: kernel functions, callees included (top 12)"
report | grep -F '[k]' | head -12
echo "(perf data: ${out#"$root"/}/perf.data)"
