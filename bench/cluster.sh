#!/usr/bin/env bash
# One node or several: the same fan-out workload against one Parley node on SQLite, one node on
# PostgreSQL, and two nodes on PostgreSQL + Redis (the generator's users round-robin over both
# nodes, so senders and receivers sit on each), in one run; then bench/results/cluster/*.json and
# docs/benchmarks-cluster.md.
#
#   bench/cluster.sh                 the reported defaults (a few minutes on 2 cores)
#   options: --duration S (measured seconds per run, default 10), --users N (the room's size, default
#            1000, as in compare.sh), --senders N (default 10), --window W (outstanding sends per sender, default 16),
#            --no-docs (results only), --report-only (docs/benchmarks-cluster.md again from the last results)
#
# PostgreSQL runs with fsync on (its default): an ack is a durable commit, as with SQLite. PostgreSQL
# and Redis are throwaway servers of this script in a temporary directory, reached over Unix sockets
# there; each node binds port 0 and says in its start line which ports it got: no port is guessed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

duration=10 users=1000 senders=10 window=16 docs=1 runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift ;;
    --users) users=$2; shift ;;
    --senders) senders=$2; shift ;;
    --window) window=$2; shift ;;
    --no-docs) docs=0 ;;
    --report-only) runs=0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

results=$root/bench/results/cluster
if [ $runs = 1 ]; then
# PostgreSQL and Redis come from Debian
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build -c Release -v q -nologo src/Parley.Server/Parley.Server.csproj >/dev/null
dotnet build -c Release -v q -nologo bench/Parley.Bench/Parley.Bench.csproj >/dev/null
server_dll=$root/src/Parley.Server/bin/Release/net10.0/Parley.Server.dll
bench_dll=$root/bench/Parley.Bench/bin/Release/net10.0/Parley.Bench.dll

work=$(mktemp -d /tmp/parley-cluster.XXXXXX)
chmod 755 "$work"   # the postgres user walks through it to its data directory
mkdir -p "$results"
rm -f "$results"/*.json "$results/commands.txt"
touch "$results/commands.txt"

pids=() pg_started=0 redis_pid=""
as_postgres() { runuser -u postgres -- "$pg_bin/$1" "${@:2}"; }
stop_nodes() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_nodes
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  if [ $pg_started = 1 ]; then as_postgres pg_ctl -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# the throwaway PostgreSQL (fsync on) and Redis, each on a Unix socket in the work directory only
mkdir -p "$work/pg"; chown postgres:postgres "$work/pg"
as_postgres initdb -D "$work/pg/data" -A trust -U postgres -E UTF8 --locale=C >"$work/pg/initdb.log"
# the port only names the socket file (.s.PGSQL.5432) in $work/pg: no TCP port is opened
if ! as_postgres pg_ctl -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 60 \
  -o "-p 5432 -c listen_addresses='' -k $work/pg -c max_connections=300" start >/dev/null; then
  echo "PostgreSQL would not start:" >&2; tail -5 "$work/pg/postgres.log" >&2 || true; exit 1
fi
pg_started=1
mkdir -p "$work/redis"
redis_socket=$work/redis/redis.sock
redis-server --port 0 --unixsocket "$redis_socket" --unixsocketperm 700 --save '' --appendonly no --dir "$work/redis" >"$work/redis/out.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 300); do redis-cli -s "$redis_socket" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -s "$redis_socket" ping >/dev/null || { echo "Redis would not start:" >&2; tail -5 "$work/redis/out.log" >&2; exit 1; }
pg_db() {
  as_postgres psql -h "$work/pg" -p 5432 -U postgres -q -c "CREATE DATABASE \"$1\"" postgres
  echo "Host=$work/pg;Port=5432;Username=postgres;Database=$1"
}

# start_node NAME DB [EXTRA...]: one Parley node on the loopback ports the system gives it; appends to pids and ports
ports=()
start_node() {
  local name=$1 db=$2; shift 2
  local dir=$work/$name; mkdir -p "$dir"
  dotnet "$server_dll" --tcp 127.0.0.1:0 --http 127.0.0.1:0 --db "$db" --node "$name" "$@" \
    --Parley:FlowControlDisabled=true --Parley:Limits:Disabled=true --Parley:AutoJoinLobby=false --Parley:IdleTimeout=01:00:00 \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:Parley.Server.Hosting.ParleyHost=Information >"$dir/out.log" 2>&1 &
  pids+=($!)
  # the start line names the port the node was given: "Parley is listening: TCP 127.0.0.1:PORT, ..."
  local tcp=""
  for _ in $(seq 1 300); do
    tcp=$(sed -n 's/.*Parley is listening: TCP 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/out.log" | head -1)
    [ -n "$tcp" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$tcp" ] || { echo "node $name did not start:" >&2; tail -5 "$dir/out.log" >&2; return 1; }
  ports+=("$tcp")
}

# run_config LABEL: the fan-out workload against the nodes started (pids, ports), merged into one result
failures=0
run_config() {
  local label=$1
  local port_list pid_list
  port_list=$(IFS=,; echo "${ports[*]}"); pid_list=$(IFS=,; echo "${pids[*]}")
  local cmd=(dotnet "$bench_dll" run --server parley --label "$label" --ports "$port_list" --workload fanout
    --server-pid "$pid_list" --concurrency 500 --duration "$duration" --out "$work/$label.fanout.0.json"
    --users "$users" --rooms 1 --senders "$senders" --window "$window" --size 100)
  echo "${cmd[*]}" | sed "s|$root/||g; s|$work|\$TMP|g" >>"$results/commands.txt"
  "${cmd[@]}" || failures=$((failures + 1))
  stop_nodes; ports=()
  [ -f "$work/$label.fanout.0.json" ] && dotnet "$bench_dll" merge "$results/$label.fanout.json" "$work/$label.fanout.0.json" \
    || failures=$((failures + 1))
}

start_node n1 "$work/sqlite.db"
run_config sqlite
start_node n1 "$(pg_db one)"
run_config postgres
db=$(pg_db two)
start_node n1 "$db" --redis "!$redis_socket" --Parley:Cluster=bench
start_node n2 "$db" --redis "!$redis_socket" --Parley:Cluster=bench
run_config postgres-redis-2

{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc) (a shared virtual machine: the generator, every node, PostgreSQL and Redis share these cores)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version)"
  echo "postgresql: $(dpkg-query -W -f='${Version}' "postgresql-$(basename "$(dirname "$pg_bin")")" 2>/dev/null) (fsync on, synchronous_commit on; over a Unix socket)"
  echo "redis-server: $(dpkg-query -W -f='${Version}' redis-server 2>/dev/null) (over a Unix socket)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "measured seconds per run: $duration, room of $users users, $senders senders, window $window, one generator process"
  echo "$(dotnet "$bench_dll" fsync "$work")"
} >"$results/machine.txt"

else
  failures=0
  # the command line of the run being reported
  read -r duration users senders window < <(sed -n 's/^measured seconds per run: \([^,]*\), room of \([0-9]*\) users, \([0-9]*\) senders, window \([0-9]*\).*/\1 \2 \3 \4/p' "$results/machine.txt")
  dotnet build -c Release -v q -nologo bench/Parley.Bench/Parley.Bench.csproj >/dev/null
  bench_dll=$root/bench/Parley.Bench/bin/Release/net10.0/Parley.Bench.dll
fi

if [ $docs = 1 ]; then
  # docs/benchmarks-cluster.md, and its section of docs/benchmarks.md, by the same report code as compare.sh's
  dotnet "$bench_dll" cluster-report "$results" "$root/docs" \
    "bench/cluster.sh --duration $duration --users $users --senders $senders --window $window"
  echo "wrote docs/benchmarks-cluster.md and its section of docs/benchmarks.md"
fi
echo "$failures failed runs; results in $results"
[ $failures = 0 ]
