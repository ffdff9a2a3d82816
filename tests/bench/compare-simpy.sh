#!/bin/sh
# compare-simpy.sh: kbsim against a SimPy model of the same M/M/c case
# (mmc-100.yaml, mmc_simpy.py), in one go on this machine. Runs each
# alternately RUNS times (default 3) and prints the medians and their
# ratio, the mean waits of both, and Erlang C's exact mean wait.
#   kbsim: the whole `kbsim run` with its files written (wall time)
#   simpy: the simulation alone (SimPy 2, Debian's python3-simpy)
# Run from the project root; $KBSIM names the program (default ./kbsim).
set -eu
kbsim=${KBSIM:-./kbsim}
runs=${RUNS:-3}
py=/usr/bin/python3     # Debian's, where python3-simpy is installed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

i=0
while [ $i -lt $runs ]; do
    s=$(date +%s.%N)
    "$kbsim" run tests/bench/mmc-100.yaml --out "$tmp/run" --quiet
    e=$(date +%s.%N)
    echo "$e - $s" | bc >> "$tmp/kbsim.t"
    "$py" tests/bench/mmc_simpy.py 7 > "$tmp/simpy.out"
    awk '{ print $2 }' "$tmp/simpy.out" >> "$tmp/simpy.t"
    i=$((i + 1))
done
k=$(median < "$tmp/kbsim.t")
p=$(median < "$tmp/simpy.t")
# Mean wait (created -> scheduled) of every Job kbsim bound.
kw=$(awk -F, 'NR > 1 && $6 != "" { w += $6 - $5; n++ }
              END { printf "%d %.1f", n, w / n }' "$tmp/run/pods.csv")
# Erlang C: c = 100, offered load a = lambda / mu = 90.
ec=$(awk 'BEGIN { c = 100; a = 90; t = 1; s = 1
                  for (k = 1; k < c; k++) { t *= a / k; s += t }
                  l = t * a / c * c / (c - a); C = l / (s + l)
                  printf "%.1f", C / (c / 3600 - a / 3600) }')
echo "M/M/c, c = 100, rho = 0.9, 2222 h (median of $runs runs)"
printf '  kbsim run, files written   %6.2f s  jobs %s s mean wait\n' \
    "$k" "$kw"
printf '  SimPy 2, simulation only   %6.2f s  jobs %s s mean wait\n' \
    "$p" "$(awk '{ print $3, $4 }' "$tmp/simpy.out")"
printf '  ratio simpy/kbsim          %6.2f  (above 1: kbsim is faster)\n' \
    "$(echo "$p / $k" | bc -l)"
printf '  Erlang C mean wait         %6s s\n' "$ec"
