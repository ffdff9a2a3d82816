#!/bin/sh
# plan-demo.sh: the wall time of the demo's capacity plan and the
# simulations per second it ran, on this machine:
#   kbsim plan scenarios/demo.yaml --target placement=99.9%
# PLAN_ARGS adds options (e.g. "--set duration=1d" for a shorter case).
# The plan's own figures (configurations, simulations) come from its
# plan.json; the clock is the shell's. Run from the project root; $KBSIM
# names the program (default ./kbsim).
set -eu
kbsim=${KBSIM:-./kbsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

s=$(date +%s.%N)
# shellcheck disable=SC2086 # PLAN_ARGS is a list of words
"$kbsim" plan scenarios/demo.yaml --target placement=99.9% ${PLAN_ARGS:-} \
    --quiet --out "$tmp/plan" --report "$tmp/report.pdf" > "$tmp/out" \
    || [ $? -eq 3 ]     # a missed target is an answer too
e=$(date +%s.%N)
json=$tmp/plan/plan.json
num() { sed -n "s/^ *\"$1\" : \([0-9]*\).*/\1/p" "$json" | head -n 1; }
sims=$(num simulations)
configs=$(num configurations)
wall=$(echo "$e - $s" | bc)
printf 'plan of the demo (placement=99.9%%%s): %.1f s wall, %s configurations, %s simulations, %.2f simulations/s, %s cores\n' \
    "${PLAN_ARGS:+ $PLAN_ARGS}" "$wall" "$configs" "$sims" \
    "$(echo "$sims / $wall" | bc -l)" "$(nproc)"
