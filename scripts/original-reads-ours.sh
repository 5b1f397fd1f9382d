#!/usr/bin/env bash
# A compatibility check: the Python original's CLI (632dd41, prepared by
# scripts/python-original.sh) reading a Data Index our binary wrote. Our dist/alpenhorn makes a
# SQLite index (`db init` with the pattern_importer component, a group and node, a few hundred
# files imported by `node scan --register-new` and `serve --once`); then each read-only command
# below runs on it with the original and with ours, and the original's output is printed with
# "same as ours" or the diff against ours.
#
# Exit 0 when every command of the original succeeded (a differing output is reported, not
# fatal: it is a lead for later work); 1 when one failed; 3 (with a note) when the original
# cannot be prepared here. N files: ORIGINAL_READS_N (default 300).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
N="${ORIGINAL_READS_N:-300}"

BIN_DIR="$(scripts/python-original.sh)" || { echo "original-reads-ours: skipped (the original cannot be prepared here)"; exit 3; }
[ -x dist/alpenhorn ] || node_modules/.bin/bun scripts/compile.ts >/dev/null || exit 1
OURS="$ROOT/dist/alpenhorn"

SITE="$(mktemp -d "${TMPDIR:-/tmp}/alpenhorn-original-reads-ours-XXXXXX")"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$SITE"' EXIT
cat >"$SITE/alpenhorn.conf" <<EOF
base:
  hostname: checkhost
database:
  url: sqlite:///$SITE/index.db
daemon:
  num_workers: 2
  update_interval: 1
extensions:
  - pattern_importer
logging:
  level: warning
EOF
export ALPENHORN_CONFIG_FILE="$SITE/alpenhorn.conf" HOME="$SITE"
cd "$SITE"
ours() { "$OURS" --test-isolation "$@"; }
orig() { "$BIN_DIR/alpenhorn" --test-isolation "$@"; }

# Our index: files named for the pattern_importer's demo types (YYYY/MM/DD/HH/mmss.dat), 100 per
# acquisition, imported by our daemon.
set -e
ours db init >/dev/null
ours node create store --create-group --root "$SITE/store" --host checkhost >/dev/null
ours node activate store >/dev/null
mkdir -p store && echo store >store/ALPENHORN_NODE
for ((i = 0; i < N; i++)); do
  d="store/2025/01/$(printf %02d $((i / 100 + 1)))/00"
  [ $((i % 100)) -ne 0 ] || mkdir -p "$d"
  printf 'file %d\n' "$i" >"$d/$(printf '%02d%02d' $((i % 100 / 60)) $((i % 60))).dat"
done
ours node scan store --register-new >/dev/null
ours serve --once 2>serve.log
set +e

failed=0
for cmd in "node list" "node stats" "node stats --extra-stats" "node show store --stats" "group list" "acq list" "file list" "file list --node=store --details"; do
  # shellcheck disable=SC2086 # the commands are word lists
  o="$(orig $cmd 2>&1)"
  rc=$?
  # shellcheck disable=SC2086
  u="$(ours $cmd 2>&1)"
  echo "=== alpenhorn $cmd  (original exit $rc; $(printf '%s\n' "$o" | wc -l) lines)"
  if [ $rc -ne 0 ]; then
    failed=1
    printf '%s\n' "$o" | tail -20
  elif [ "$o" = "$u" ]; then
    printf '%s\n' "$o" | head -12
    [ "$(printf '%s\n' "$o" | wc -l)" -le 12 ] || echo "…"
    echo "--- same as ours"
  else
    printf '%s\n' "$o" | head -12
    echo "--- differs from ours (diff original ours):"
    diff <(printf '%s\n' "$o") <(printf '%s\n' "$u") | head -20
  fi
done
exit $failed
