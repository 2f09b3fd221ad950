#!/usr/bin/env bash
# Parley side by side with ngircd, InspIRCd and redis-server: every workload against every server
# in one run, then bench/results/*.json and docs/benchmarks.md with its charts.
#
#   bench/compare.sh                 the reported defaults (about 32 minutes on 2 cores)
#   bench/compare.sh --quick         fan-out and connect storm at small sizes against every server, about a
#                                    minute: a smoke run that judges no speed and writes no docs
#   options: --duration S (measured seconds per run, default 10), --warmup S (seconds of load before
#            measuring, default 10: Parley's JIT settles about 8 s after start), --shards N (generator processes
#            for fan-out, default 1: on 2 cores a second one takes CPU from the server), --window W
#            (outstanding sends per fan-out sender, default 16), --only "parley ngircd" (a subset of servers),
#            --repeat N (runs of each workload against each server, the servers taking turns, default 3 and 1
#            in a quick run: the report gives the median and the range, since one run here differs from the
#            next by more than some of the gaps it judges)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=0 duration=10 warmup="" shards=1 only="" window=16 repeat=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; duration=1 ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --shards) shards=$2; shift ;;
    --window) window=$2; shift ;;
    --only) only=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$repeat" ]; then repeat=$([ $quick = 1 ] && echo 1 || echo 3); fi
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "--repeat needs a number of runs, 1 or more" >&2; exit 2; }

# the peers come from Debian
declare -A needs=([ngircd]=ngircd [inspircd]=inspircd [redis-server]=redis-server)
missing=()
for command in "${!needs[@]}"; do
  command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] || missing+=("${needs[$command]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# ten thousand users need many descriptors
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ulimit -n 1048576 2>/dev/null || true

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build -c Release -v q -nologo src/Parley.Server/Parley.Server.csproj >/dev/null
dotnet build -c Release -v q -nologo bench/Parley.Bench/Parley.Bench.csproj >/dev/null
server_dll=$root/src/Parley.Server/bin/Release/net10.0/Parley.Server.dll
bench_dll=$root/bench/Parley.Bench/bin/Release/net10.0/Parley.Bench.dll
. "$root/bench/peers.sh"

results=$root/bench/results
work=$(mktemp -d /tmp/parley-compare.XXXXXX)
mkdir -p "$results"
trap 'stop_server; rm -rf "$work"' EXIT

# a full run measures every server after 10 s of load (Parley's JIT settles about 8 s after start);
# a quick run keeps the generator's short default
if [ $quick = 0 ] && [ -z "$warmup" ]; then warmup=10; fi
if [ $quick = 1 ]; then
  fan_users=100 rooms_users=200 rooms_count=20 idle_users=300 storm_users=300 steady_rate=100
else
  fan_users=1000 rooms_users=10000 rooms_count=1000 idle_users=10000 storm_users=10000 steady_rate=100
fi

pid="" port=""
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
# SIGTERM, and SIGKILL after 10 s: a daemon still working through a backlog must not hold up the run
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}

# start_server NAME: a fresh server on loopback; sets pid, port and kind
start_server() {
  local dir=$work/$1; rm -rf "$dir"; mkdir -p "$dir"
  case "$1" in
    parley|parley-ws)
      dotnet "$server_dll" --tcp 127.0.0.1:27101 --http 127.0.0.1:27102 --db "$dir/parley.db" \
        --Parley:FlowControlDisabled=true --Parley:Limits:Disabled=true --Parley:AutoJoinLobby=false --Parley:IdleTimeout=01:00:00 \
        --Logging:LogLevel:Default=Warning >"$dir/out.log" 2>&1 &
      pid=$!; kind=$1
      if [ "$1" = parley ]; then port=27101; else port=27102; fi ;;
    ngircd)
      write_ngircd_conf "$dir" 27103
      /usr/sbin/ngircd -n -f "$dir/ngircd.conf" >"$dir/out.log" 2>&1 &
      pid=$!; port=27103; kind=irc ;;
    inspircd)
      write_inspircd_conf "$dir" 27104 100000
      (cd "$dir" && exec inspircd --runasroot --nofork --config "$dir/inspircd.conf" >"$dir/out.log" 2>&1) &
      pid=$!; port=27104; kind=irc ;;
    redis)
      redis-server --port 27105 --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --maxclients 100000 >"$dir/out.log" 2>&1 &
      pid=$!; port=27105; kind=redis ;;
  esac
  wait_port "$port"
}

# run_workload SERVER WORKLOAD ROUND SHARDS ARGS...: one measured run, its shards merged into one result
failures=0
run_workload() {
  local name=$1 workload=$2 round=$3 n=$4; shift 4
  local concurrency=1000
  [ "$name" = ngircd ] && concurrency=10   # its listen backlog is 10: more at once only gets SYNs dropped and retried
  start_server "$name"
  local barrier=$work/barrier.$name.$workload; rm -rf "$barrier"
  local shard_files=() shard_pids=()
  for i in $(seq 0 $((n - 1))); do
    local cmd=(dotnet "$bench_dll" run --server "$kind" --label "$name" --port "$port" --workload "$workload"
      --server-pid "$pid" --concurrency $((concurrency / n)) --duration "$duration" --shard "$i/$n" --barrier "$barrier"
      --out "$work/$name.$workload.$round.$i.json" ${warmup:+--warmup "$warmup"} "$@")
    [ "$round" = 1 ] && echo "${cmd[*]}" >>"$results/commands.txt"
    "${cmd[@]}" &
    shard_pids+=($!); shard_files+=("$work/$name.$workload.$round.$i.json")
  done
  # a run counts once as failed, whether its verdict failed or a generator process left no result
  local failed=0 complete=1
  for p in "${shard_pids[@]}"; do wait "$p" || failed=1; done
  stop_server
  for f in "${shard_files[@]}"; do [ -f "$f" ] || complete=0; done
  if [ $complete = 1 ]; then
    dotnet "$bench_dll" merge "$results/$name.$workload.$round.json" "${shard_files[@]}" || failed=1
  else
    echo "[$name $workload] a generator process left no result: the report shows none for this run"
    failed=1
  fi
  failures=$((failures + failed))
}

servers=(parley parley-ws ngircd inspircd redis)
[ -n "$only" ] && read -r -a servers <<<"$only"
# a run of a subset of the servers replaces only their results
for s in "${servers[@]}"; do
  rm -f "$results/$s".*.json
  [ -f "$results/commands.txt" ] && sed -i "/--label $s /d" "$results/commands.txt"
done
touch "$results/commands.txt"
workloads=(fanout storm)
[ $quick = 0 ] && workloads=(fanout steady rooms idle storm)
# workload by workload, each server in turn in every round: what drifts over the run (the host's other
# load, the page cache) falls on every server alike
for workload in "${workloads[@]}"; do
  for round in $(seq 1 "$repeat"); do
    for s in "${servers[@]}"; do
      case $workload in
        fanout) run_workload "$s" fanout "$round" "$shards" --users "$fan_users" --rooms 1 --senders 10 --window "$window" --size 100 ;;
        steady) run_workload "$s" steady "$round" 1 --users "$fan_users" --rooms 1 --senders 10 --rate "$steady_rate" --size 100 ;;
        rooms) run_workload "$s" rooms "$round" 1 --users "$rooms_users" --rooms "$rooms_count" --senders 10 --rate "$rooms_users" --size 100 ;;
        idle) run_workload "$s" idle "$round" 1 --users "$idle_users" --rooms 1 --senders 0 ;;
        storm) run_workload "$s" storm "$round" 1 --users "$storm_users" --rooms 1 --senders 0 ;;
      esac
    done
  done
done

{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version)"
  echo "ngircd: $(dpkg-query -W -f='${Version}' ngircd 2>/dev/null)"
  echo "inspircd: $(dpkg-query -W -f='${Version}' inspircd 2>/dev/null)"
  echo "redis-server: $(dpkg-query -W -f='${Version}' redis-server 2>/dev/null)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "mode: $([ $quick = 1 ] && echo quick || echo full), runs of each workload per server: $repeat, measured seconds per run: $duration, warm-up seconds: ${warmup:-default}, fan-out generator processes: $shards, window: $window"
  echo "$(dotnet "$bench_dll" fsync "$work")"
} >"$results/machine.txt"

if [ $quick = 0 ]; then
  dotnet "$bench_dll" report "$results" "$root/docs" "$results/machine.txt"
fi
echo "$failures failed runs; results in $results"
[ $failures = 0 ]
