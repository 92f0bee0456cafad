#!/usr/bin/env bash
# run.sh [--tap] — replay the kept regression inputs, then fuzz each target for a while.
#
# The targets are the libFuzzer binaries $FUZZ_BUILD/fuzz/fuzz_* (`make FUZZ=1 fuzzers`
# builds them into build-fuzz/). For each target, in order:
#   1. every file in tests/fuzz/regressions/TARGET/ (inputs that once crashed, leaked or
#      hung it, kept once fixed) is run through it once: each must now pass;
#   2. a seed corpus is made afresh in $FUZZ_BUILD/seeds/TARGET from every
#      lessons/*/requests/*.http and tests/fuzz/seeds/TARGET/ (tests/fuzz/seeds.py);
#   3. the target fuzzes for FUZZ_SECONDS with tests/fuzz/http.dict, growing its corpus
#      in $FUZZ_BUILD/corpus/TARGET (kept between runs). An input that crashes it, leaks,
#      runs out of memory or takes longer than 10 s is copied into
#      tests/fuzz/regressions/TARGET/, to be committed once the bug is fixed.
# Up to FUZZ_JOBS targets fuzz at the same time. Logs: $FUZZ_BUILD/logs/TARGET.log.
#
# Output: one line per target ("fuzz_http ran 15 s, 123456 execs, no crash") and one per
# regression input; with --tap, as TAP (a plan, then "ok N - …" / "not ok N - …").
# Exit status 0 when every case passed, else 1.
#
# Environment: FUZZ_SECONDS (default 180), FUZZ_JOBS (default 2), FUZZ_TARGETS (names,
# default every built target), FUZZ_TIMEOUT (seconds one input may take, default 10),
# FUZZ_BUILD (default build-fuzz), PYTHON (default python3).
set -uo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." || exit 2

tap=0
case ${1:-} in
--tap) tap=1 ;;
"") ;;
*)
    echo "usage: tests/fuzz/run.sh [--tap]" >&2
    exit 2
    ;;
esac

seconds=${FUZZ_SECONDS:-180}
# One input taking longer than this (wall clock) is a finding. On a machine shared with
# other work a fast input can wait that long for a core: raise it there.
unit_timeout=${FUZZ_TIMEOUT:-10}
jobs=${FUZZ_JOBS:-2}
build=${FUZZ_BUILD:-build-fuzz}
python=${PYTHON:-python3}
here=tests/fuzz

if ! [[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 && $jobs =~ ^[0-9]+$ && $jobs -gt 0 &&
    $unit_timeout =~ ^[0-9]+$ && $unit_timeout -gt 0 ]]; then
    echo "run.sh: FUZZ_SECONDS, FUZZ_JOBS and FUZZ_TIMEOUT must be positive whole numbers" >&2
    exit 2
fi

# Per-target options: the longest input worth trying (a request head can reach the
# 32 KiB limit and a little past it; a request target 8 KiB; a header value less).
max_len() {
    case $1 in
    fuzz_http) echo 49152 ;;
    fuzz_url) echo 8192 ;;
    fuzz_date) echo 128 ;;
    fuzz_multipart) echo 16384 ;;
    *) echo 2048 ;;
    esac
}

if [[ -n ${FUZZ_TARGETS:-} ]]; then
    read -r -a targets <<<"$FUZZ_TARGETS"
else
    targets=()
    for src in "$here"/fuzz_*.c; do
        [[ -e $src ]] || continue
        t=$(basename -- "$src" .c)
        targets+=("$t")
    done
fi

n=0
failed=0
# result OK LABEL [DIAGNOSTICS] — prints one case.
result() {
    local ok=$1 label=$2 diag=${3:-}
    n=$((n + 1))
    if ((tap)); then
        if ((ok)); then echo "ok $n - $label"; else echo "not ok $n - $label"; fi
        if [[ -n $diag ]]; then printf '%s\n' "$diag" | sed 's/^/# /'; fi
    else
        if ((ok)); then echo "PASS $label"; else echo "FAIL $label"; fi
        if [[ -n $diag ]]; then printf '%s\n' "$diag" | sed 's/^/    /'; fi
    fi
    ((ok)) || failed=$((failed + 1))
}

shopt -s nullglob
regressions=()
for t in "${targets[@]}"; do
    for f in "$here/regressions/$t"/*; do
        [[ -f $f ]] && regressions+=("$t:$f")
    done
done
if ((tap)); then
    echo "1..$((${#targets[@]} + ${#regressions[@]}))"
fi
if ((${#targets[@]} == 0)); then
    echo "run.sh: no fuzz targets in $here" >&2
    exit 1
fi

# 1. Replay every kept input: each must pass now.
for r in "${regressions[@]}"; do
    t=${r%%:*}
    f=${r#*:}
    bin=$build/fuzz/$t
    if [[ ! -x $bin ]]; then
        result 0 "$t replays $(basename -- "$f")" "no binary $bin (make FUZZ=1 fuzzers)"
        continue
    fi
    if out=$(timeout -k 5 60 "$bin" "$f" 2>&1); then
        result 1 "$t replays $(basename -- "$f"): passes"
    else
        result 0 "$t replays $(basename -- "$f"): fails" "$(printf '%s\n' "$out" | grep -v '^INFO:' | tail -n 25)"
    fi
done

# 2 and 3. fuzz_one TARGET — fuzzes one target; writes its verdict to $tmp/TARGET.
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fuzz_one() {
    local t=$1 bin=$build/fuzz/$1
    local corpus=$build/corpus/$1 seeds=$build/seeds/$1 art=$build/artifacts/$1
    local log=$build/logs/$1.log verdict=$tmp/$1
    if [[ ! -x $bin ]]; then
        printf '0\n%s\n%s\n' "$t did not run" "no binary $bin (make FUZZ=1 fuzzers)" >"$verdict"
        return
    fi
    rm -rf "$seeds" "$art"
    mkdir -p "$corpus" "$art" "$(dirname -- "$log")"
    if ! "$python" "$here/seeds.py" "$t" "$seeds" 2>"$log"; then
        printf '0\n%s\n%s\n' "$t did not run" "seeds.py failed: $(tail -n 5 "$log")" >"$verdict"
        return
    fi
    local start=$SECONDS rc=0
    # A hang of the whole run (not of one input) is stopped 60 s after its time is up.
    timeout -k 5 $((seconds + 60)) "$bin" -max_total_time="$seconds" -timeout="$unit_timeout" \
        -max_len="$(max_len "$t")" -dict="$here/http.dict" -print_final_stats=1 \
        -artifact_prefix="$art/" "$corpus" "$seeds" >>"$log" 2>&1 || rc=$?
    local took=$((SECONDS - start))
    local execs
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    local found=()
    for a in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-* "$art"/slow-unit-*; do
        [[ $(basename -- "$a") == slow-unit-* ]] && continue
        mkdir -p "$here/regressions/$t"
        cp -- "$a" "$here/regressions/$t/"
        found+=("$here/regressions/$t/$(basename -- "$a")")
    done
    if ((rc == 0 && ${#found[@]} == 0)) && [[ -n $execs ]]; then
        printf '1\n%s\n' "$t ran $took s, $execs execs, no crash" >"$verdict"
    else
        {
            echo 0
            if ((${#found[@]})); then
                echo "$t ran $took s, ${execs:-?} execs: found ${found[*]}"
            else
                echo "$t ran $took s, ${execs:-?} execs: exit status $rc"
            fi
            grep -v -e '^INFO:' -e '^#[0-9]' -e '^ *"' -e '^###' -e '^[0-9]* seeds$' "$log" | tail -n 40
            echo "(log: $log)"
        } >"$verdict"
    fi
}

running=0
for t in "${targets[@]}"; do
    if ((running >= jobs)); then
        wait -n 2>/dev/null || true
        running=$((running - 1))
    fi
    fuzz_one "$t" &
    pids+=("$!")
    running=$((running + 1))
done
wait

for t in "${targets[@]}"; do
    if [[ -s $tmp/$t ]]; then
        ok=$(sed -n 1p "$tmp/$t")
        label=$(sed -n 2p "$tmp/$t")
        diag=$(sed -n '3,$p' "$tmp/$t")
        result "$ok" "$label" "$diag"
    else
        result 0 "$t gave no verdict" ""
    fi
done

((tap)) || echo "$((n - failed)) passed, $failed failed"
((failed == 0))
