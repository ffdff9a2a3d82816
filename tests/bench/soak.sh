#!/bin/sh
# soak.sh: memory over many replications. Runs mixed-minimal.yaml with
# 100 and then 1,000 replications (SOAK_REPS overrides the larger) and
# prints the peak resident memory of each: flat memory means the larger
# batch peaks where the smaller one does, whatever the count. Run from
# the project root; $KBSIM names the program (default ./kbsim).
set -eu
kbsim=${KBSIM:-./kbsim}
big=${SOAK_REPS:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

peak() {
    /usr/bin/time -f '%M %e' -o "$tmp/t" "$kbsim" run \
        scenarios/mixed-minimal.yaml -r "$1" -q --out "$tmp/r$1" \
        --report "$tmp/r$1.pdf" > /dev/null
    read -r kb s < "$tmp/t"
    echo "$kb $s"
}
set -- $(peak 100)
small_kb=$1 small_s=$2
set -- $(peak "$big")
big_kb=$1 big_s=$2
printf 'soak: 100 replications peak %d KiB (%.1f s); %d replications peak %d KiB (%.1f s); ratio %.2f\n' \
    "$small_kb" "$small_s" "$big" "$big_kb" "$big_s" \
    "$(echo "$big_kb / $small_kb" | bc -l)"
