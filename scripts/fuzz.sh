#!/usr/bin/env bash
# Runs every fuzz harness of BUILD_DIR (default build-fuzz, built by `make fuzz`) one after the
# other for FUZZ_SECONDS each (default 60), seeded with the repository's corpus, then prints the
# executions each reached. Inputs libFuzzer finds interesting go to BUILD_DIR/fuzz-corpus/<name>
# (scratch, kept between runs); a crash leaves its input in BUILD_DIR/fuzz-crashes/<name>/ and
# fails the run. Usage: scripts/fuzz.sh [BUILD_DIR] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-fuzz}
shift || true
seconds=${FUZZ_SECONDS:-60}
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for dir in fuzz/corpus/*/; do harnesses+=("$(basename "$dir")"); done
fi

summary=()
failed=0
for name in "${harnesses[@]}"; do
  scratch="$build_dir/fuzz-corpus/$name"
  crashes="$build_dir/fuzz-crashes/$name"
  log="$build_dir/fuzz-logs/$name.log"
  mkdir -p "$scratch" "$crashes" "$(dirname "$log")"
  echo "fuzz: $name for ${seconds}s"
  status=0
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
    "$build_dir/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$scratch" "fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  result=ok
  if [ "$status" -ne 0 ]; then
    result="CRASH (see $log and $crashes/)"
    failed=1
  fi
  summary+=("$(printf '%-24s %14s executions %8s exec/s  %s' "$name" "${runs:-?}" "${rate:-?}" "$result")")
done
printf '%s\n' "${summary[@]}"
exit $failed
