#!/usr/bin/env bash
# `npm run demo`: build the binary and run the demo walkthrough on an embedded SQLite index.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/bun scripts/compile.ts
exec node_modules/.bin/bun scripts/demo.ts
