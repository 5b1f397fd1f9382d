#!/usr/bin/env bash
# `npm test`: install the system parts the tests use (MariaDB, rsync, sshd), build the
# binary the end-to-end tests run, then run every test. The timeout is given here because
# bunfig's [test] timeout is ignored by bun test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUN=node_modules/.bin/bun
"$BUN" scripts/compile.ts
exec "$BUN" test --timeout 120000 "$@"
