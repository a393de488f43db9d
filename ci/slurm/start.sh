#!/usr/bin/env bash
# Brings up a single-node Slurm cluster on this machine, by hand (no systemd): munged, slurmctld
# and slurmd from Debian's munge and slurm-wlm packages, with proctrack/linuxproc and task/none so
# that no cgroup setup is needed. Installs the packages when missing (root or passwordless sudo).
# Idempotent: a cluster already answering is left as it is. Used by .ci/run before the test suite
# (tests/slurm.rs submits the job-array script of docs/batch.md to it); run it locally the same way:
#
#     sudo ci/slurm/start.sh && TTX_REQUIRE_SLURM=1 cargo test --test slurm
#
# ci/slurm/stop.sh stops the daemons again.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    echo "installing slurm-wlm and munge" >&2
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi

if sinfo -h -o %t 2>/dev/null | grep -q idle; then
    echo "slurm is already up" >&2
    exit 0
fi

node=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
state=/var/spool/slurm-ttx

as_root mkdir -p /etc/slurm /run/munge /var/log/slurm "$state/ctld" "$state/d"
as_root chown munge:munge /run/munge
as_root chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    as_root mungekey --create --force
fi
as_root chown munge:munge /etc/munge/munge.key
as_root chmod 0400 /etc/munge/munge.key
if ! pgrep -x munged >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then runuser -u munge -- munged; else sudo -n -u munge munged; fi
fi

as_root tee /etc/slurm/slurm.conf >/dev/null <<EOF
# Single-node cluster for ttx's CI (ci/slurm/start.sh).
ClusterName=ttx-ci
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=/run/slurmctld-ttx.pid
SlurmdPidFile=/run/slurmd-ttx.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=600
KillWait=5
InactiveLimit=0
SlurmdTimeout=60
NodeName=$node CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

pgrep -x slurmctld >/dev/null || as_root slurmctld -c
pgrep -x slurmd >/dev/null || as_root slurmd -c

for _ in $(seq 1 60); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then
        sinfo
        exit 0
    fi
    sleep 1
done
echo "slurm did not come up; the logs:" >&2
as_root tail -n 30 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
