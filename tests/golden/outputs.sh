#!/bin/sh
# outputs.sh: the checksums of every file a run writes, for every scenario
# under scenarios/ and every lesson, and of each lesson's narration.
#
#   tests/golden/outputs.sh            print the checksums (sha256sum format)
#   tests/golden/outputs.sh --write    replace tests/golden/outputs.sha256
#
# test-golden compares the printed list with tests/golden/outputs.sha256,
# so a change that moves any seeded number fails make test until the list
# is written again on purpose (and the commit says why it changed).
# $KBSIM names the program (default ./kbsim). Run from the project root.
set -eu
cd "$(dirname "$0")/../.."
kbsim=${KBSIM:-./kbsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
files="summary.json timeseries.csv pods.csv events.log nodes.csv pulls.csv"

list() {
    for f in scenarios/*.yaml scenarios/lessons/*.yaml; do
        n=${f#scenarios/}
        n=${n%.yaml}
        mkdir -p "$tmp/$n"
        rc=0
        "$kbsim" run "$f" --out "$tmp/$n/run" --quiet >/dev/null 2>&1 || rc=$?
        echo "$rc" > "$tmp/$n/exit"
        (cd "$tmp" && sha256sum "$n/exit")
        for x in $files; do
            [ -f "$tmp/$n/run/$x" ] && (cd "$tmp" && sha256sum "$n/run/$x")
        done
        case $n in
        lessons/*)
            # The narration shows paths; make them independent of where
            # the tree lives.
            "$kbsim" demo "${n#lessons/}" --auto --plain 2>&1 |
                sed "s|$(pwd)/||g" > "$tmp/$n/demo.txt" || true
            (cd "$tmp" && sha256sum "$n/demo.txt")
            ;;
        esac
    done
}

if [ "${1:-}" = --write ]; then
    list > tests/golden/outputs.sha256.new
    mv tests/golden/outputs.sha256.new tests/golden/outputs.sha256
else
    list
fi
