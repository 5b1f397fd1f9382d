#!/usr/bin/env bash
# `npm run faults`: the full fault matrix of tests/faults/ on the compiled binary, on SQLite and
# MariaDB — FAULTS_TRIALS (default 50) seeded SIGKILL trials per kind and database, the disk-full
# and corrupted-source tests — then the table of trials, faults survived, files lost and
# leftovers per kind and database, and the time it took. FAULTS_SEED picks the run's seed
# (default: the tests' fixed one); extra arguments go to `bun test` (e.g. -t remote-pull).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export FAULTS_TRIALS="${FAULTS_TRIALS:-50}"
# Disk full both ways: a tmpfs filled during the pull (when mounting works) and RLIMIT_FSIZE.
export FAULTS_DISK_FULL="${FAULTS_DISK_FULL:-both}"
report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT
export FAULTS_REPORT="$report"
start=$(date +%s)
# The SIGKILL matrix (the long part) last, after every other fault test of tests/faults/.
others=()
for f in tests/faults/*.test.ts; do [[ $f == tests/faults/kill.test.ts ]] || others+=("$f"); done
set +e
status=0
for files in "${others[*]}" tests/faults/kill.test.ts; do
  # shellcheck disable=SC2086 # word-splitting the file list is intended
  nice node_modules/.bin/bun test --timeout 300000 $files "$@" 2>&1 | tee -a "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
done
set -e
elapsed=$(( $(date +%s) - start ))
echo
echo "Fault matrix: FAULTS_TRIALS=${FAULTS_TRIALS} FAULTS_SEED=${FAULTS_SEED:-default}, $(( elapsed / 60 )) min $(( elapsed % 60 )) s"
node_modules/.bin/bun scripts/faults-table.ts "$report"
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | awk '{ s += $1 } END { print s + 0 }')
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | awk '{ s += $1 } END { print s + 0 }')
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
