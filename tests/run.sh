#!/usr/bin/env bash
# run.sh — run the whole test suite and sum up its TAP output.
#
# Called by `make test` with WIRELAB_BUILDS (e.g. "build build-san": build
# folders already built by make) and PYTHON. For each build it runs, in order:
# every unit test binary BUILD/tests/test_*, then every tests/e2e/test_*.py
# against BUILD/bin. Before them, tests/check_build.sh builds with clang.
# Each program prints TAP on stdout; its output is streamed here with the
# program's name in front of every line.
#
# Counting: "ok" lines are passes, "not ok" lines failures, "# SKIP" results
# skips. A program that times out, dies of a signal or a sanitizer, exits
# non-zero without a "not ok", prints no plan, or prints fewer (or more)
# results than its plan, counts as one more failure. The last line is always
#   N passed, N failed, N skipped
# and the status is 1 if anything failed or nothing ran, else 0.
#
# Environment: WIRELAB_BUILDS (default build), PYTHON (default /usr/bin/python3),
# WIRELAB_TEST_TIMEOUT seconds per program (default 600).
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."

builds=${WIRELAB_BUILDS:-build}
python=${PYTHON:-/usr/bin/python3}
limit=${WIRELAB_TEST_TIMEOUT:-600}

# Sanitizer builds: report instead of aborting, with distinctive exit codes
# (86 ASan/LSan, 87 UBSan). Harmless for normal builds.
export ASAN_OPTIONS=abort_on_error=0:exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1

passed=0 failed=0 skipped=0 programs=0

tmp=$(mktemp -d)
# On INT/TERM stop the running program: timeout leads its own process group,
# which also holds every server a test started.
stop() {
    if [[ -s $tmp/pid ]]; then
        kill -TERM -- "-$(cat "$tmp/pid")" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'rm -rf "$tmp"' EXIT

# run_program NAME CMD… — run one TAP program under a timeout, stream its
# output prefixed with [NAME], and add its results to the totals.
run_program() {
    local name=$1
    shift
    local line plans=0 saw_plan=0 results=0 nfail=0 npass=0 nskip=0 rc
    programs=$((programs + 1))
    echo "[$name] # running: $*"

    # stdout is parsed here; stderr goes, prefixed, to our stderr. The
    # producer records the exit status and the timeout's pid (for the
    # INT/TERM trap) and waits for the stderr filter, so that nothing of this
    # program is printed after its summary.
    while IFS= read -r line || [[ -n $line ]]; do
        printf '[%s] %s\n' "$name" "$line"
        if [[ $line =~ ^(not\ )?ok([^a-zA-Z0-9_]|$) ]]; then
            results=$((results + 1))
            # TAP directive: "# SKIP …" (case-insensitive) after the label.
            if [[ ${line,,} =~ \#\ *skip([^a-z]|$) ]]; then
                nskip=$((nskip + 1))
            elif [[ $line == not* ]]; then
                nfail=$((nfail + 1))
            else
                npass=$((npass + 1))
            fi
        elif [[ $line =~ ^1\.\.([0-9]+) ]]; then
            plans=$((plans + BASH_REMATCH[1]))
            saw_plan=1
        fi
    done < <(
        exec 3> >(
            while IFS= read -r l || [[ -n $l ]]; do
                printf '[%s:stderr] %s\n' "$name" "$l" >&2
            done
        )
        filter=$!
        timeout -k 5 "$limit" "$@" </dev/null 2>&3 &
        echo "$!" >"$tmp/pid"
        exec 3>&-
        status=0
        wait "$!" || status=$?
        wait "$filter" 2>/dev/null || true
        echo "$status" >"$tmp/rc"
    )
    wait "$!" 2>/dev/null || true
    rc=$(cat "$tmp/rc")
    rm -f "$tmp/rc" "$tmp/pid"

    # Anything wrong with the program as a whole is one extra failure.
    local why=
    if ((rc == 124 || rc == 137)); then
        why="timed out after ${limit} s (exit $rc)"
    elif ((rc == 86)); then
        why="AddressSanitizer/LeakSanitizer reported an error (exit 86)"
    elif ((rc == 87)); then
        why="UndefinedBehaviorSanitizer reported an error (exit 87)"
    elif ((rc > 128)); then
        why="killed by signal $((rc - 128)) (exit $rc)"
    elif ((rc == 126 || rc == 127)); then
        why="could not be run (exit $rc)"
    elif ((rc != 0 && nfail == 0)); then
        why="exited with status $rc without reporting a failed test"
    elif ((results < plans)); then
        why="printed $results results but planned $plans"
    elif ((results > plans)); then
        why="printed $results results but planned $plans"
    elif ((saw_plan == 0)); then
        why="printed no TAP plan (1..N)"
    fi
    if [[ -n $why ]]; then
        nfail=$((nfail + 1))
        echo "[$name] not ok - $name $why (counted as one more failure)"
    fi
    echo "[$name] # $npass passed, $nfail failed, $nskip skipped (exit $rc)"
    passed=$((passed + npass))
    failed=$((failed + nfail))
    skipped=$((skipped + nskip))
}

shopt -s nullglob

run_program "clang-build" tests/check_build.sh clang

for build in $builds; do
    bin=$build/bin
    [[ $bin == /* ]] || bin=$PWD/$bin
    for t in "$build"/tests/test_*; do
        [[ -f $t && -x $t ]] || continue
        [[ $t == *.d || $t == *.o ]] && continue
        CMOCKA_MESSAGE_OUTPUT=TAP run_program "$build/$(basename -- "$t")" "$t"
    done
    for t in tests/e2e/test_*.py; do
        WIRELAB_BIN=$bin run_program "$build/e2e/$(basename -- "$t")" "$python" "$t"
    done
done

nothing=0
if ((programs == 0 || passed + failed + skipped == 0)); then
    echo "# nothing ran: no results from $builds"
    nothing=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0 && nothing == 0))
