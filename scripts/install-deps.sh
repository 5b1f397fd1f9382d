#!/usr/bin/env bash
# Installs, when missing, the Debian packages for the test suite: MariaDB, which the index,
# command and e2e tests run against, and rsync, openssh-server and openssh-client, which the
# remote-pull tests use (tests/helpers/sshd.ts starts a throw-away sshd on 127.0.0.1), zsh,
# whose completion the CLI generates, util-linux's `script`, the pseudo-terminal of the
# --wait progress test, and the Python modules the Python original needs to run from its
# source in tests/e2e/python-original.test.ts (Debian's python3 with peewee, click, PyYAML,
# tabulate, PyMySQL).
# Idempotent and fork-free when everything is present, so CI can call it on every run.
set -euo pipefail

# Each entry is "package:file"; a package counts as installed when its file exists.
# File tests are shell builtins, so the all-present path costs no process spawns.
wanted=(
  "mariadb-server:/usr/sbin/mariadbd"
  "mariadb-client:/usr/bin/mariadb"
  "rsync:/usr/bin/rsync"
  "openssh-server:/usr/sbin/sshd"
  "openssh-client:/usr/bin/ssh"
  "zsh:/usr/bin/zsh"
  "bsdutils:/usr/bin/script"
  "python3-peewee:/usr/lib/python3/dist-packages/peewee.py"
  "python3-click:/usr/lib/python3/dist-packages/click/__init__.py"
  "python3-yaml:/usr/lib/python3/dist-packages/yaml/__init__.py"
  "python3-tabulate:/usr/lib/python3/dist-packages/tabulate.py"
  "python3-pymysql:/usr/lib/python3/dist-packages/pymysql/__init__.py"
)

missing=()
for entry in "${wanted[@]}"; do
  [[ -e "${entry#*:}" ]] || missing+=("${entry%%:*}")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all present (${wanted[*]%%:*})"
  exit 0
fi

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)

# Package postinst scripts would start mariadb/sshd system-wide; the tests start
# their own throw-away server. policy-rc.d exiting 101 tells invoke-rc.d "don't".
# Only add one temporarily if the machine has none (Docker images usually do).
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi

"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null

echo "install-deps: installed ${missing[*]}"
