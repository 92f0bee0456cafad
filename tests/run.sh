#!/usr/bin/env bash
# run.sh — run the whole test suite and sum up its TAP output.
#
# Called by `make test` with WIRELAB_BUILDS (e.g. "build build-san": build
# folders already built by make) and PYTHON. For each build it runs, in order:
# every unit test binary BUILD/tests/test_*, then every tests/e2e/test_*.py
# against BUILD/bin (a few on the first build only: see the loop), then tests/conformance/test_llhttp.py (llhttp's request
# tests) against BUILD/bin. Before them, tests/check_build.sh builds with clang,
# tests/check_layers.sh checks the layers of common/, the includes of tools/ and the
# width of every C source and header (100 columns), and tests/fuzz/run.sh --tap
# replays the fuzz regressions and fuzzes each target briefly. After them, the e2e files run once more with every lesson server of
# build/ under valgrind memcheck.
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
# WIRELAB_TEST_TIMEOUT seconds per program (default 600), WIRELAB_FUZZ_SECONDS per
# fuzz target (default 10).
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
    local line plans=0 saw_plan=0 results=0 nfail=0 npass=0 nskip=0 rc began=$SECONDS
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
    echo "[$name] # $npass passed, $nfail failed, $nskip skipped (exit $rc, $((SECONDS - began)) s)"
    passed=$((passed + npass))
    failed=$((failed + nfail))
    skipped=$((skipped + nskip))
}

shopt -s nullglob

run_program "clang-build" tests/check_build.sh clang
run_program "layers" tests/check_layers.sh

# Short fuzzing: every kept regression input, then each libFuzzer target (built by
# make test into build-fuzz/) for WIRELAB_FUZZ_SECONDS, two at a time.
FUZZ_SECONDS=${WIRELAB_FUZZ_SECONDS:-10} run_program "fuzz" tests/fuzz/run.sh --tap

first_build=${builds%% *}
for build in $builds; do
    bin=$build/bin
    [[ $bin == /* ]] || bin=$PWD/$bin
    for t in "$build"/tests/test_*; do
        [[ -f $t && -x $t ]] || continue
        [[ $t == *.d || $t == *.o ]] && continue
        CMOCKA_MESSAGE_OUTPUT=TAP run_program "$build/$(basename -- "$t")" "$t"
    done
    for t in tests/e2e/test_*.py; do
        # test_valgrind runs in the valgrind pass below; test_slow (30 s of attacks,
        # /proc numbers of a plain build) once, on the first build. So do the files
        # that grade students' code through the lab (exercise, modules, check_cases):
        # that code is built with ASan + UBSan whatever the build, and the lab's own C
        # runs under the sanitizers in test_lab, test_lab_pty, test_check and test_hints.
        # And test_bench, whose subject is make bench's Python (tests/bench/), not the
        # lesson servers it starts (every other file runs those on each build).
        [[ $t == */test_valgrind*.py ]] && continue
        case $(basename -- "$t") in
        test_slow*.py | test_exercise.py | test_modules.py | test_check_cases.py | test_bench.py)
            [[ $build != "$first_build" ]] && continue ;;
        esac
        WIRELAB_BIN=$bin run_program "$build/e2e/$(basename -- "$t")" "$python" "$t"
    done
    # llhttp's request tests against lessons 03 and 07, once per build (about a second;
    # one SKIP while shared/llhttp/ is missing: tests/conformance/README.md).
    WIRELAB_BIN=$bin run_program "$build/conformance/test_llhttp.py" \
        "$python" tests/conformance/test_llhttp.py
done

# valgrind memcheck: every lesson server of the gcc build (build/bin: valgrind 3.19
# cannot read clang's DWARF 5, nor run ASan) started under valgrind, its waits made
# 10 times longer (WIRELAB_SLOW), over the e2e files that start lesson servers
# through harness.Server; a server with a memory error or a definite leak exits 99 and
# its case fails. Left out: test_limits.py, whose cap and SIGTERM cases allow 4-5 s
# that valgrind can take (test_valgrind.py walks the same paths with longer waits),
# test_slow.py, whose hundreds of connections would measure valgrind and whose /proc
# numbers are a plain server's, test_check.py, whose servers are the lab's grading
# targets (the same lesson servers the other files run under valgrind), and files that
# start no lesson server themselves (the lab shell's tests). valgrind is slow and single-threaded: the files run two at
# a time, their output kept, then counted one by one in order.
valgrind="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
valgrind+=" --track-fds=no --vgdb=no -q"
vg_files=()
for t in tests/e2e/test_*.py; do
    case $(basename -- "$t") in
    test_limits.py | test_slow*.py | test_check.py) continue ;;
    esac
    grep -qE '(^|[^A-Za-z0-9_])Server\(' "$t" && vg_files+=("$t")
done
vg_pids=()
trap 'kill -TERM "${vg_pids[@]}" 2>/dev/null; stop 130' INT
trap 'kill -TERM "${vg_pids[@]}" 2>/dev/null; stop 143' TERM
mkdir -p "$tmp/valgrind"
for i in "${!vg_files[@]}"; do
    if ((${#vg_pids[@]} >= 2)); then
        wait -n "${vg_pids[@]}" 2>/dev/null || true
        live=()
        for p in "${vg_pids[@]}"; do kill -0 "$p" 2>/dev/null && live+=("$p"); done
        vg_pids=("${live[@]}")
    fi
    out=$tmp/valgrind/$i
    (
        WIRELAB_BIN=$PWD/build/bin WIRELAB_WRAP=$valgrind WIRELAB_SLOW=10 \
            timeout -k 5 "$limit" "$python" "${vg_files[i]}" </dev/null >"$out.out" 2>"$out.err" &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null' TERM # timeout passes it on to the test
        rc=0
        wait "$child" || rc=$?
        echo "$rc" >"$out.rc"
    ) &
    vg_pids+=("$!")
done
wait "${vg_pids[@]}" 2>/dev/null || true
vg_pids=()
trap 'stop 130' INT
trap 'stop 143' TERM
for i in "${!vg_files[@]}"; do
    # shellcheck disable=SC2016 # $1 is the replay script's own argument
    run_program "valgrind/e2e/$(basename -- "${vg_files[i]}")" \
        bash -c 'cat -- "$1.out"; cat -- "$1.err" >&2; exit "$(cat -- "$1.rc" 2>/dev/null || echo 1)"' \
        replay "$tmp/valgrind/$i"
done

nothing=0
if ((programs == 0 || passed + failed + skipped == 0)); then
    echo "# nothing ran: no results from $builds"
    nothing=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0 && nothing == 0))
