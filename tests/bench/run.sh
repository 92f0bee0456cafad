#!/usr/bin/env bash
# run.sh — make bench: the lesson servers against nginx and Python's http.server.
#
# Called by `make bench` after `make all`. Installs the bench's Debian packages
# (tools/scripts/packages-bench.txt) when missing, links build/bench/lesson-03-quiet (lesson
# 03 with its printing stubbed out, to tell what printing costs), then runs
# tests/bench/bench.py, which prints the table and where the CSV and PNG are.
#
# BENCH_SECONDS (each wrk run, default 2), BENCH_ROUNDS (default 3), BENCH_CONNS
# (default 1,64,256), BENCH_LORIS (default 500, 0 to skip), BENCH_TESTS and
# BENCH_BIN (default $BUILD/bin) are passed on (see bench.py); BENCH_TESTS also picks
# the pieces run here first (hashflood, capflood, uploads, slowpost). The defaults take
# about 7 minutes on a 2-core machine (whole `make bench`: under 10).
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
build=${BUILD:-build}

WIRELAB_PACKAGES_FILE=tools/scripts/packages-bench.txt tools/scripts/deps.sh

if [[ ! -x $build/bin/lesson-03 ]]; then
    echo "bench: $build/bin/lesson-03 is missing: run 'make all' first" >&2
    exit 2
fi

# lesson-03-quiet: the same object file and library, the three printing calls
# wrapped by no-ops (tests/bench/quiet.c). Skipped, with a note, if it cannot link.
out=${BENCH_OUT:-build/bench}  # where bench.py writes and looks, whatever the build folder
mkdir -p "$out"
obj=$build/obj/lessons/03-better-server/server.o
quiet=$out/lesson-03-quiet
rm -f "$quiet"
# The libraries the lessons link: the Makefile's LIB_PKGS, through pkg-config.
pkgs=$(sed -n 's/^LIB_PKGS *:= *//p' Makefile)
libs=("$build/lib/liblesson.a" "$build/lib/libserver.a" "$build/lib/libhttp.a")
if [[ -f $obj && -f ${libs[2]} ]]; then
    # shellcheck disable=SC2046,SC2086  # pkg-config's flags and the names are meant to split
    if ! ${CC:-cc} -O2 -pthread -o "$quiet" "$obj" tests/bench/quiet.c "${libs[@]}" \
            -Wl,--wrap=log_message,--wrap=log_request,--wrap=repr_headers \
            $(pkg-config --libs $pkgs 2>/dev/null); then
        echo "bench: could not link $quiet; measuring lesson 03 as it is only" >&2
        rm -f "$quiet"
    fi
fi

# wanted NAME — whether BENCH_TESTS (a comma-separated list; empty: everything) names it.
wanted() { [[ -z ${BENCH_TESTS:-} || ,$BENCH_TESTS, == *,$1,* ]]; }

# hashflood: the query table against names chosen to collide (tests/bench/hashflood.c);
# runs unless BENCH_TESTS leaves it out. It prints its own line, target within 3x.
if wanted hashflood; then
    if ${CC:-cc} -O2 -std=gnu11 -iquote common/http -o "$out/hashflood" \
            tests/bench/hashflood.c "${libs[2]}"; then
        "$out/hashflood" || echo "bench: hashflood missed its target" >&2
    else
        echo "bench: could not build $out/hashflood" >&2
    fi
fi
# The Python pieces, each printing its own lines and PASS or MISS: capflood (1000
# connect-then-GET clients at once against the 256 cap), uploads (256 concurrent 10 MiB
# uploads to lesson 08: saved whole, peak RSS), slowpost (256 slow bodies: threads).
for piece in capflood uploads slowpost; do
    if wanted $piece; then
        BENCH_BIN=${BENCH_BIN:-$root/$build/bin} /usr/bin/python3 tests/bench/$piece.py ||
            echo "bench: $piece missed its target" >&2
    fi
done
# bench.py runs hello, index-gz, logo and loris: not when BENCH_TESTS names only the above.
if [[ -n ${BENCH_TESTS:-} ]] && ! tr , '\n' <<<"$BENCH_TESTS" |
        grep -qvxE 'hashflood|capflood|uploads|slowpost|'; then
    exit 0
fi

BENCH_BIN=${BENCH_BIN:-$root/$build/bin} exec /usr/bin/python3 tests/bench/bench.py
