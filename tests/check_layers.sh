#!/usr/bin/env bash
# check_layers.sh — TAP: common/ keeps its layers; tools/ keeps its own, with no include cycle.
#
# common/http (protocol) may include only common/http; common/server may include
# common/http and itself; common/lesson all three. The Makefile gives each layer only
# those folders, so an include that points up does not compile; this says which file
# and which header, before anyone has to read a compiler error. No .c file may sit
# directly in common/. tools/ is layered the same way: tools/util may include only
# common/ (and itself), tools/check also tools/util, tools/lab everything. Under tools/,
# the graph of "#include" between its headers and sources must have no cycle. And every
# C source and header of the project (common/, lessons/, tools/, tests/) keeps to the
# style's width: no line wider than 100 columns, a tab counting as 8.
set -uo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."

echo "1..5"

# allowed LAYER — the layers a file of LAYER may include from.
allowed() {
    case $1 in
    http) echo "http" ;;
    server) echo "http server" ;;
    lesson) echo "http server lesson" ;;
    esac
}

# layer_of HEADER — which layer's folder holds the header, or nothing.
layer_of() {
    local l
    for l in http server lesson; do
        [[ -f common/$l/$1 ]] && { echo "$l"; return; }
    done
}

bad=()
for layer in http server lesson; do
    ok=" $(allowed "$layer") "
    for f in common/"$layer"/*.[ch]; do
        while IFS= read -r h; do
            to=$(layer_of "$h")
            [[ -z $to || $ok == *" $to "* ]] && continue
            bad+=("$f includes $h from common/$to, a layer above common/$layer")
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    done
done
if ((${#bad[@]} == 0)); then
    echo "ok 1 - no file of common/ includes a header of a layer above its own"
else
    echo "not ok 1 - no file of common/ includes a header of a layer above its own"
    printf '# %s\n' "${bad[@]}"
fi

shopt -s nullglob
flat=(common/*.c common/*.h)
if ((${#flat[@]} == 0)); then
    echo "ok 2 - no source file directly under common/: each is in its layer's folder"
else
    echo "not ok 2 - no source file directly under common/: each is in its layer's folder"
    printf '# %s\n' "${flat[@]}"
fi

# tools/: a depth-first search over "file includes file" for a path back to itself.
cycle=$(python3 - <<'PY'
import os, re, sys
files = {}
for d, _, names in os.walk("tools"):
    for n in names:
        if n.endswith((".c", ".h")):
            files.setdefault(n, os.path.join(d, n))
edges = {}
for n, path in files.items():
    text = open(path, encoding="utf-8", errors="replace").read()
    deps = re.findall(r'^\s*#\s*include\s*"([^"]+)"', text, re.M)
    # a source and its own header are one module: "a.c" includes "a.h" is no edge
    edges[n] = [h for h in deps if h in files and h.rsplit(".", 1)[0] != n.rsplit(".", 1)[0]]
def module(n):
    return n.rsplit(".", 1)[0]
graph = {}
for n, deps in edges.items():
    graph.setdefault(module(n), set()).update(module(h) for h in deps)
state = {}
def visit(m, path):
    state[m] = 1
    for t in sorted(graph.get(m, ())):
        if state.get(t) == 1:
            return path[path.index(t):] + [t] if t in path else path + [t]
        if not state.get(t):
            found = visit(t, path + [t])
            if found:
                return found
    state[m] = 2
    return None
for m in sorted(graph):
    if not state.get(m):
        found = visit(m, [m])
        if found:
            print(" -> ".join(found))
            sys.exit(0)
PY
)
if [[ -z $cycle ]]; then
    echo "ok 3 - the modules under tools/ include one another without a cycle"
else
    echo "not ok 3 - the modules under tools/ include one another without a cycle"
    echo "# $cycle"
fi
# tools/: util sees no other tools folder; check sees util; lab sees both.
tools_allowed() {
    case $1 in
    util) echo "util" ;;
    check) echo "util check" ;;
    lab) echo "util check lab" ;;
    esac
}
tool_of() {
    local t
    for t in util check lab; do
        [[ -f tools/$t/$1 ]] && { echo "$t"; return; }
    done
}
tbad=()
for folder in util check lab; do
    ok=" $(tools_allowed "$folder") "
    for f in tools/"$folder"/*.[ch]; do
        while IFS= read -r h; do
            to=$(tool_of "$h")
            [[ -z $to || $ok == *" $to "* ]] && continue
            tbad+=("$f includes $h from tools/$to, which tools/$folder may not use")
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    done
done
if ((${#tbad[@]} == 0)); then
    echo "ok 4 - tools/util includes no other tools folder, tools/check only tools/util"
else
    echo "not ok 4 - tools/util includes no other tools folder, tools/check only tools/util"
    printf '# %s\n' "${tbad[@]}"
fi
# Every .c and .h: lines within 100 columns (characters, not bytes: "—" is one). The files
# are git's when this is a checkout, else every .c and .h below the project's folders.
wide=$(python3 - <<'PY'
import glob, subprocess
try:
    listed = subprocess.run(["git", "ls-files", "-z", "--", "*.c", "*.h"], check=True,
                            capture_output=True).stdout.decode().split("\0")
except (OSError, subprocess.CalledProcessError):
    listed = [p for d in ("common", "lessons", "tools", "tests")
              for p in glob.glob(f"{d}/**/*.[ch]", recursive=True)]
for path in sorted(p for p in listed if p):
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        width = len(line.rstrip("\n").expandtabs(8))
        if width > 100:
            print(f"{path}:{no}: {width} columns")
PY
)
if [[ -z $wide ]]; then
    echo "ok 5 - no line of a C source or header is wider than 100 columns (a tab is 8)"
else
    echo "not ok 5 - no line of a C source or header is wider than 100 columns (a tab is 8)"
    printf '# %s\n' "$wide"
fi
[[ ${#bad[@]} -eq 0 && ${#flat[@]} -eq 0 && -z $cycle && ${#tbad[@]} -eq 0 && -z $wide ]]
