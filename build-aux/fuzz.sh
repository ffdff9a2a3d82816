#!/bin/sh
# fuzz.sh SECONDS TARGET...: runs each libFuzzer harness of make fuzz
# (build-fuzz/fuzz/fuzz-TARGET) for SECONDS, one after the other, and
# prints per target the executions, executions per second, coverage and
# the findings. The corpus grows in build-fuzz/corpus/TARGET, seeded from
# the examples, the test data and tests/data/fuzz/TARGET; findings go to
# build-fuzz/crashes/TARGET. Exit 1 when any target found something.
set -u
secs=$1
shift
found=0
for t in "$@"; do
    corpus=build-fuzz/corpus/$t
    crashes=build-fuzz/crashes/$t
    mkdir -p "$corpus" "$crashes"
    seeds="tests/data/fuzz/$t"
    case $t in
    yaml|scenario)
        seeds="$seeds scenarios tests/data/good tests/data/bad"
        dict=-dict=tests/fuzz/scenario.dict ;;
    set)
        dict=-dict=tests/fuzz/scenario.dict ;;
    *)
        dict= ;;
    esac
    # libFuzzer reads seed folders, not trees: flatten the YAML files in.
    for d in $seeds; do
        [ -d "$d" ] || continue
        find "$d" -type f \( -name '*.yaml' -o -path 'tests/data/fuzz/*' \) |
            while read -r f; do
                cp "$f" "$corpus/seed-$(printf '%s' "$f" | tr '/' '_')"
            done
    done
    log=build-fuzz/fuzz-$t.log
    build-fuzz/fuzz/fuzz-"$t" $dict -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$corpus" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    n=$(find "$crashes" -type f | wc -l)
    printf '%-9s %10s execs %7s exec/s  %-10s findings %s (exit %s)\n' \
        "$t" "${execs:-?}" "${rate:-?}" "${cov:-cov: ?}" "$n" "$rc"
    [ "$n" -eq 0 ] && [ "$rc" -eq 0 ] || found=1
done
exit $found
