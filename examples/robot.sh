#!/usr/bin/env bash
# robot.sh: a nightly archive robot for cron. It copies every file of a node that the archive
# group lacks into that group, waits for the daemon to carry the copies out, then reads the
# archive's state and reports. It only files requests and reads the index: the daemons do
# the work.
#
#   robot.sh SOURCE_NODE ARCHIVE_GROUP
#
# crontab of the alpenhorn account, every night at 02:30 UTC:
#   CRON_TZ=UTC
#   30 2 * * *  /usr/local/bin/robot.sh field1 archive >> /var/log/alpenhorn/robot.log 2>&1
#
# Environment: ALPENHORN (the binary; default: alpenhorn on PATH), ALPENHORN_CONF (a config
# file for -c; default: the standard places), ROBOT_TIMEOUT (how long to wait for the copies,
# in alpenhorn's DUR form: 90s, 15m, 6h; default 6h).
#
# Exit status: 0 all copied and nothing at risk; 1 a copy failed, an error, or files remain
# whose only healthy copy is on SOURCE_NODE, or a daemon is silent; 3 the wait timed out (the
# requests stay filed: the next night's run waits for them again); 2 usage.
# Reading the JSON needs jq; without it the robot still syncs and waits, and prints the JSON
# as it is.

set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: robot.sh SOURCE_NODE ARCHIVE_GROUP" >&2
  exit 2
fi
source_node=$1
group=$2
alpenhorn=${ALPENHORN:-alpenhorn}
timeout=${ROBOT_TIMEOUT:-6h}
conf=()
[[ -n ${ALPENHORN_CONF:-} ]] && conf=(-c "$ALPENHORN_CONF")
have_jq=0
command -v jq > /dev/null && have_jq=1

log() { printf '%s robot: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
ah() { "$alpenhorn" "${conf[@]}" "$@"; }

verdict=0

# 1. File copy requests for what the group lacks and wait for them. --force: no prompt (cron
#    has no terminal). "No files to sync." files nothing and exits 0 at once.
log "syncing node $source_node to group $group (waiting up to $timeout)"
ah node sync "$source_node" "$group" --force --wait --timeout "$timeout"
rc=$?
case $rc in
  0) log "sync: every copy completed" ;;
  1) log "sync: failed (the transfers that failed, or the error, are listed above)"; verdict=1 ;;
  2) log "sync: usage error (exit 2)"; exit 2 ;;
  3) log "sync: timed out after $timeout; the pending requests stay filed"; verdict=3 ;;
  *) log "sync: unexpected exit status $rc"; verdict=1 ;;
esac

# 2. The whole archive: daemons, pending work, space, damaged copies.
if ! status=$(ah status --json); then
  log "status: failed"
  exit 1
fi
# 3. What still depends on the source node alone.
if ! risk=$(ah node risk "$source_node" --json); then
  log "node risk: failed"
  exit 1
fi

if [[ $have_jq -eq 0 ]]; then
  log "jq not found: the archive's state, unread:"
  printf '%s\n%s\n' "$status" "$risk"
  exit "$verdict"
fi

silent=$(jq -r '.hosts[] | select(.daemon == "silent") | .host // "(no host)"' <<< "$status")
pending=$(jq -r --arg g "$group" '[.pending.transfers[] | select(.group == $g) | .requests] | add // 0' <<< "$status")
corrupt=$(jq -r '[.copies.corrupt[].count] | add // 0' <<< "$status")
space=$(jq -r '.space[] | "\(.node) \(.problem) (\(.gb) GB, limit \(.limit_gb) GB)"' <<< "$status")
only_here=$(jq -r '.[0].only_here.files' <<< "$risk")
only_here_bytes=$(jq -r '.[0].only_here.bytes' <<< "$risk")

log "copy requests still pending into $group: $pending"
log "corrupt copies in the archive: $corrupt"
[[ -n $space ]] && while IFS= read -r line; do log "space: $line"; done <<< "$space"
if [[ -n $silent ]]; then
  while IFS= read -r host; do log "WARNING: no daemon heard from on host $host"; done <<< "$silent"
  [[ $verdict -eq 0 ]] && verdict=1
fi
if [[ $only_here != 0 ]]; then
  log "WARNING: $only_here files ($only_here_bytes bytes) have their only healthy copy on $source_node"
  [[ $verdict -eq 0 ]] && verdict=1
else
  log "every file on $source_node has a healthy copy elsewhere"
fi
log "done (exit $verdict)"
exit "$verdict"
