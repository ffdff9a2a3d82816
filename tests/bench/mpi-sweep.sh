#!/bin/sh
# mpi-sweep.sh: the speed-up of a sweep from 1 to 2 MPI ranks with
# --jobs 1 (one simulation thread per rank), on this machine:
#   kbsim sweep scenarios/demo.yaml --vary node_pools.win2022.count=3:6
#       -r $MPI_BENCH_REPS -j 1          (4 points, 7 simulated days each)
# alone, under mpirun -np 1 and under mpirun -np 2; the three sweep.csv
# must be byte-identical. Also prints the cost of one run and the message
# sizes (KBSIM_MPI_STATS), which the README's estimate for 64 and 512
# ranks uses. Skips when there is no mpirun. Run from the project root;
# $KBSIM names the program (default ./kbsim).
set -eu
kbsim=${KBSIM:-./kbsim}
reps=${MPI_BENCH_REPS:-10}
if ! command -v mpirun >/dev/null 2>&1; then
    echo "mpi-sweep: no mpirun on the PATH; skipped"
    exit 0
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

sweep() {   # sweep OUT [launcher...]
    out=$1
    shift
    s=$(date +%s.%N)
    "$@" "$kbsim" sweep scenarios/demo.yaml \
        --vary node_pools.win2022.count=3:6 -r "$reps" -j 1 -q \
        --out "$tmp/$out" > /dev/null 2> "$tmp/$out.err"
    e=$(date +%s.%N)
    echo "$e - $s" | bc
}

alone=$(sweep alone)
one=$(sweep one mpirun -np 1)
two=$(KBSIM_MPI_STATS=1 sweep two mpirun -np 2)
cmp "$tmp/alone/sweep.csv" "$tmp/one/sweep.csv"
cmp "$tmp/alone/sweep.csv" "$tmp/two/sweep.csv"
cmp "$tmp/alone/sweep.json" "$tmp/two/sweep.json"
runs=$((4 * reps))
printf 'sweep of %d runs (demo, 7 days each), --jobs 1: alone %.2f s, 1 rank %.2f s, 2 ranks %.2f s; speed-up 1 -> 2 ranks %.2f (%.2f against alone); %.1f ms a run; outputs identical\n' \
    "$runs" "$alone" "$one" "$two" "$(echo "$one / $two" | bc -l)" \
    "$(echo "$alone / $two" | bc -l)" "$(echo "1000 * $one / $runs" | bc -l)"
grep '^kbsim: ' "$tmp/two.err" || true
