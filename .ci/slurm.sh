#!/usr/bin/env bash
# A one-node SLURM cluster on loopback for the cluster test (no systemd: the daemons are started by hand).
#   .ci/slurm.sh start DIR   writes DIR/slurm.conf, starts munged, slurmctld and slurmd, waits for the node;
#                            prints `export SLURM_CONF=DIR/slurm.conf`
#   .ci/slurm.sh stop DIR    stops the daemons by PID and waits until they are gone
set -uo pipefail
action=${1:?start or stop}
dir=${2:?state folder}

stop() {
  local pids=()
  for name in slurmd slurmctld; do
    [ -f "$dir/$name.pid" ] && pids+=("$(cat "$dir/$name.pid")")
  done
  [ -f "$dir/munged.pid" ] && pids+=("$(cat "$dir/munged.pid")")
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  # The daemons delete their pid files before they exit: poll the PIDs read above.
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
}

if [ "$action" = stop ]; then stop; exit 0; fi

mkdir -p "$dir"/{state,spool,log,munge}
memory=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
cpus=$(nproc)
cat >"$dir/slurm.conf" <<CONF
ClusterName=avrobust-ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

if [ ! -f /etc/munge/munge.key ]; then
  mungekey --create >/dev/null 2>&1 || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
  chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge && chmod 755 /run/munge
munged --force --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" 2>>"$dir/log/start.log" ||
  { echo "slurm: munged did not start (see $dir/log)" >&2; exit 1; }
slurmctld 2>>"$dir/log/start.log" || { echo "slurm: slurmctld did not start (see $dir/log)" >&2; stop; exit 1; }
slurmd -N localhost 2>>"$dir/log/start.log" || { echo "slurm: slurmd did not start (see $dir/log)" >&2; stop; exit 1; }
for _ in $(seq 1 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "export SLURM_CONF=$dir/slurm.conf"
    exit 0
  fi
  sleep 0.2
done
echo "slurm: the node did not become idle (see $dir/log)" >&2
stop
exit 1
