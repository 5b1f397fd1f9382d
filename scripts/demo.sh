#!/usr/bin/env bash
# `npm run demo`: build the binary, then tell the demo story with three daemons on an embedded
# SQLite index (scripts/demo.ts says how; DEMO_DIR, DEMO_DATABASE_URL and DEMO_NO_SSH=1 apply).
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/bun scripts/compile.ts
exec node_modules/.bin/bun scripts/demo.ts
