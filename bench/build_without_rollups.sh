#!/usr/bin/env bash
# Builds the baseline of the dashboard benchmark's creation cost: depot from this source tree with
# the one rollup write an order's creation makes (SqlTx::insert_order's roll_up_new_order)
# taken out, everything else identical. bench/run.sh (BENCH_ONLY=dashboard) runs the create load
# test against it and against build/depot, interleaved, when BENCH_BASELINE_DEPOT names it.
#
#   bench/build_without_rollups.sh [OUT_DIR]   (default /tmp/depot-without-rollups)
#
# Prints the path of the binary. Copies the tree (not .git, build dirs or web/), so the working
# tree is never touched; a full build, several minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/depot-without-rollups}
SRC=$OUT/src-tree
rm -rf "$SRC"
mkdir -p "$SRC"
tar -c --exclude=./.git --exclude='./build*' --exclude=./web --exclude=./bench/results . \
  | tar -x -C "$SRC"
FILE=$SRC/src/store/sql/tx_orders.cpp
grep -q 'roll_up_new_order(o);' "$FILE" || { echo "no creation rollup call in $FILE" >&2; exit 1; }
sed -i '/roll_up_new_order(o);/d' "$FILE"
cmake -S "$SRC" -B "$OUT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >"$OUT/cmake.log" 2>&1
cmake --build "$OUT/build" -j2 --target depot >"$OUT/build.log" 2>&1
echo "$OUT/build/depot"
