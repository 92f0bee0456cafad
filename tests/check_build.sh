#!/usr/bin/env bash
# check_build.sh CC — one TAP case: the whole tree builds warning-free (-Werror)
# with compiler CC, into its own folder build-CC. The compiler's output is kept
# as TAP comments when it fails.
set -uo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
cc=${1:?usage: check_build.sh CC}
echo "1..1"
if out=$(make -s -j2 CC="$cc" BUILD="build-$cc" all 2>&1); then
    echo "ok 1 - the tree builds with $cc and -Werror"
else
    echo "not ok 1 - the tree builds with $cc and -Werror"
    printf '%s\n' "$out" | tail -n 40 | sed 's/^/# /'
    exit 1
fi
