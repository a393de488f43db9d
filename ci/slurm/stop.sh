#!/usr/bin/env bash
# Stops the daemons ci/slurm/start.sh started (by their pid files), leaving munged to the system.
set -uo pipefail
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}
for pidfile in /run/slurmd-ttx.pid /run/slurmctld-ttx.pid; do
    if [ -s "$pidfile" ]; then
        as_root kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
done
