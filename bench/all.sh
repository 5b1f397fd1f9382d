#!/usr/bin/env bash
# `npm run bench`: every benchmark in turn, then the summary table of their headline figures
# (bench/summary.ts). The binary is compiled once, by the first bench that needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUN=node_modules/.bin/bun
mkdir -p .tmp
export BENCH_SUMMARY_FILE="$PWD/.tmp/bench-summary.jsonl"
rm -f "$BENCH_SUMMARY_FILE"
"$BUN" scripts/compile.ts
export BENCH_NO_COMPILE=1
export CHECK_SITE_BENCH_FILES="${CHECK_SITE_BENCH_FILES:-1000000}"
for b in run format integrity sync import mariadb cli-big check-site pull-remote; do
  echo
  echo "=== bench/$b.ts"
  "$BUN" "bench/$b.ts"
done
# Last, the Python original beside ours (several minutes: the original runs each workload once).
# It prepares the original itself (scripts/python-original.sh) and prints a note and skips when
# that cannot be done here; BENCH_NO_ORIGINAL=1 leaves it out.
echo
if [ -n "${BENCH_NO_ORIGINAL:-}" ]; then
  echo "=== bench/original.ts skipped (BENCH_NO_ORIGINAL)"
else
  echo "=== bench/original.ts"
  "$BUN" bench/original.ts
fi
"$BUN" bench/summary.ts
