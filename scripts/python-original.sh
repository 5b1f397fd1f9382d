#!/usr/bin/env bash
# Prepares the Python original (alpenhorn at the commit we match) so the benches can run it beside
# our binary: .tmp/python-original/bin/alpenhorn and .../alpenhornd, called as our dist/alpenhorn
# is. Idempotent: a second run only checks that all is in place.
#
#   ALPENHORN_PY_SRC     a checkout of the original to use instead of the bare mirror
#   ALPENHORN_PY_MIRROR  the bare mirror (default /work/.mirror/radiocosmology+alpenhorn/repo)
#   ALPENHORN_PY_COMMIT  the commit taken from the mirror (default 632dd41)
#
# Exit 0: ready (prints the bin directory last). Exit 3: cannot be prepared here (no source, or
# no Python 3.11+ with the dependencies); the message says why and benches skip the original.
#
# The original is not pip-installed: its build needs setuptools-git-versioning, which Debian does
# not package and PyPI is out of reach. Instead the source goes on sys.path as it is, and a
# minimal alpenhorn-VERSION.dist-info (what an install would leave) lets
# importlib.metadata.version("alpenhorn") answer, so `--version` and the pattern_importer's
# extension version work unchanged. Nothing in the original's source is modified.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$PWD/.tmp/python-original"
COMMIT="${ALPENHORN_PY_COMMIT:-632dd41}"
MIRROR="${ALPENHORN_PY_MIRROR:-/work/.mirror/radiocosmology+alpenhorn/repo}"
PY=/usr/bin/python3 # Debian's Python: the one apt's python3-* packages install into

skip() { echo "python-original: $*; the original cannot be run here" >&2; exit 3; }

# The dependencies, as Debian bookworm packages them (older than the original asks for in two
# cases: peewee 3.14.10 for >= 3.17.1 and watchdog 2.2.1 for >= 4). python3-portalocker is
# listed because Debian's python3-concurrent-log-handler 0.9.20 imports it without depending on it.
PKGS="python3 python3-peewee python3-click python3-watchdog python3-yaml python3-tabulate python3-packaging python3-concurrent-log-handler python3-portalocker python3-setuptools"
have_deps() { [ -x "$PY" ] && "$PY" -c 'import sys, peewee, click, watchdog, yaml, tabulate, packaging, concurrent_log_handler; assert sys.version_info >= (3, 11)' 2>/dev/null; }
if ! have_deps; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "python-original: installing $PKGS" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS >&2 || true
  fi
  have_deps || skip "no $PY (3.11+) with peewee, click, watchdog, yaml, tabulate, packaging and concurrent_log_handler"
fi

# The source: a given checkout, else the commit extracted from the mirror (once).
if [ -n "${ALPENHORN_PY_SRC:-}" ]; then
  [ -f "$ALPENHORN_PY_SRC/alpenhorn/cli/entry.py" ] || skip "ALPENHORN_PY_SRC=$ALPENHORN_PY_SRC is not a checkout of alpenhorn"
  SRC="$(cd "$ALPENHORN_PY_SRC" && pwd)"
  VERSION="$(git -C "$SRC" describe --tags 2>/dev/null || echo 0+unknown)"
else
  [ -d "$MIRROR" ] || skip "no mirror at $MIRROR and no ALPENHORN_PY_SRC"
  SRC="$OUT/src-$COMMIT"
  if [ ! -f "$SRC/alpenhorn/cli/entry.py" ]; then
    rm -rf "$SRC.part" && mkdir -p "$SRC.part"
    git -C "$MIRROR" archive "$COMMIT" | tar -x -C "$SRC.part" || skip "cannot extract $COMMIT from $MIRROR"
    mv "$SRC.part" "$SRC"
  fi
  VERSION="$(git -C "$MIRROR" describe --tags "$COMMIT" 2>/dev/null || echo 0+unknown)"
fi
# `git describe` (v2.0.0rc2-45-g632dd41) as setuptools-git-versioning's default template spells
# a commit past a tag: 2.0.0rc2.post45+git.632dd41
VERSION="$(echo "$VERSION" | sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)$/.post\1+git.\2/')"

# The pattern_importer example extension (named `pattern_importer` in a config; the benches'
# import needs it) is taken from the next commit, EXAMPLE_COMMIT: at 632dd41 its post-init hook
# still calls three names it never imports, so `db init` dies on a NameError and rolls the
# extension's tables back. 837055c only removes those calls (the hook then just inserts the
# demo types, as our built-in does); detection and registration are the same code. Without the
# mirror, the checkout's own example is used.
EXAMPLE_COMMIT="${ALPENHORN_PY_EXAMPLE_COMMIT:-837055c}"
EXT="$SRC/examples"
if [ -d "$MIRROR" ]; then
  EXT="$OUT/ext-$EXAMPLE_COMMIT"
  if [ ! -f "$EXT/pattern_importer.py" ]; then
    mkdir -p "$EXT"
    git -C "$MIRROR" show "$EXAMPLE_COMMIT:examples/pattern_importer.py" >"$EXT/pattern_importer.py.part" || skip "no examples/pattern_importer.py at $EXAMPLE_COMMIT in $MIRROR"
    mv "$EXT/pattern_importer.py.part" "$EXT/pattern_importer.py"
  fi
fi

# sys.path of the runners: the source, the example extension, the dist-info and the shim.
SITE="$OUT/site"
mkdir -p "$SITE" "$OUT/bin"
# Every file below is written aside and moved in only when it changed, so a run of this script
# never disturbs an original already running from the same directory (a bench in progress).
put() { # put FILE [MODE]: stdin becomes FILE, atomically, if different
  cat >"$1.new"
  [ -z "${2:-}" ] || chmod "$2" "$1.new"
  if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv -f "$1.new" "$1"; fi
}
DIST="$SITE/alpenhorn-$VERSION.dist-info"
if [ ! -f "$DIST/METADATA" ]; then
  mkdir -p "$DIST.part"
  printf 'Metadata-Version: 2.1\nName: alpenhorn\nVersion: %s\n' "$VERSION" >"$DIST.part/METADATA"
  mv "$DIST.part" "$DIST"
fi
for d in "$SITE"/alpenhorn-*.dist-info; do [ "$d" = "$DIST" ] || rm -rf "$d"; done

# peewee 3.14.10 lacks three things the original uses: the module functions utcnow() and
# utcfromtimestamp() (imported by alpenhorn.db; 3.17) and the query method scalars() (the first
# column of each row; used by `node sync`, `group sync` and the CLI's node/group file filters).
# The shim adds each one only when missing (naive UTC datetimes, a generator of first columns),
# before the original is imported. Nothing else is changed.
put "$SITE/alpenhorn_peewee_shim.py" <<'PY'
"""Adds what the original uses from peewee 3.17 that Debian's 3.14 lacks; a no-op on a newer peewee."""
import datetime

import peewee

if not hasattr(peewee, "utcnow"):
    peewee.utcnow = lambda: datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
if not hasattr(peewee, "utcfromtimestamp"):
    peewee.utcfromtimestamp = lambda ts: datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).replace(tzinfo=None)
if not hasattr(peewee.SelectBase, "scalars"):

    @peewee.database_required
    def scalars(self, database):
        for row in self.tuples().execute(database):
            yield row[0]

    peewee.SelectBase.scalars = scalars
PY

# The two console scripts of the original's pyproject ([project.scripts]), as pip would write
# them, with the path set up first.
for pair in "alpenhorn alpenhorn.cli" "alpenhornd alpenhorn.daemon"; do
  set -- $pair
  put "$OUT/bin/$1" 755 <<EOF
#!$PY
import re, sys
sys.path[:0] = ["$SRC", "$EXT", "$SITE"]
import alpenhorn_peewee_shim
from $2 import entry
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?\$", "", sys.argv[0])
    sys.exit(entry())
EOF
done

V="$("$OUT/bin/alpenhorn" --version)" || skip "the prepared runner fails"
echo "${V%%$'\n'*}" >&2
echo "$OUT/bin"
