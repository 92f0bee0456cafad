#!/usr/bin/env bash
# deps.sh — make sure the Debian packages wirelab needs are installed.
#
# Reads tools/scripts/packages.txt (or $WIRELAB_PACKAGES_FILE): one package per line,
# '#' comments and blank lines allowed. Prints nothing and exits 0 when every
# package is installed. Otherwise, as root, installs the missing ones with
# apt-get and exits with its status; as any other user, prints the apt-get
# command to run and exits 1.
#
# Uses only bash and dpkg/apt (present on every Debian system): it runs before
# anything else is installed.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
list=${WIRELAB_PACKAGES_FILE:-$here/packages.txt}

if [[ ! -r $list ]]; then
    echo "deps.sh: cannot read package list $list" >&2
    exit 2
fi

# Read the list: drop comments and surrounding blanks, one name per line.
wanted=()
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    line=${line%%#*}
    line=${line//$'\r'/}
    read -r -a words <<<"$line" || true
    for word in "${words[@]}"; do
        # Debian package names: lower case, digits, + - . (an :arch suffix allowed).
        if [[ ! $word =~ ^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?$ ]]; then
            echo "deps.sh: $list:$lineno: not a package name: $word" >&2
            exit 2
        fi
        wanted+=("$word")
    done
done <"$list"

if ((${#wanted[@]} == 0)); then
    exit 0
fi

# dpkg-query prints the state ("installed", "config-files", …) of a known
# package and fails for one dpkg has never heard of.
missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ $status != installed ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if [[ $(id -u) != 0 ]]; then
    {
        echo "wirelab needs these Debian packages: ${missing[*]}"
        echo "Install them with:"
        echo "sudo apt-get install -y ${missing[*]}"
    } >&2
    exit 1
fi

echo "wirelab: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# -qq keeps apt quiet but still prints errors. A failed update (one unreachable
# mirror, say) is reported but not fatal: the install below may still succeed
# from the lists already present, and its status is the one that counts.
if ! apt-get update -qq </dev/null; then
    echo "deps.sh: apt-get update failed; trying the install anyway" >&2
fi
status=0
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null || status=$?
if ((status != 0)); then
    echo "deps.sh: apt-get install failed (status $status)" >&2
fi
exit "$status"
