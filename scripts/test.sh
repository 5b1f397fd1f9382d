#!/usr/bin/env bash
# `npm test`: install the system parts the tests use (MariaDB, rsync, sshd), typecheck, build
# the binary the end-to-end tests run, then run every test. The timeout is given here because
# bunfig's [test] timeout is ignored by bun test. The last line is a plain
# "tests: N passed, N failed" summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUN=node_modules/.bin/bun
node_modules/.bin/tsc --noEmit -p .
"$BUN" scripts/compile.ts
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$BUN" test --timeout 120000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
