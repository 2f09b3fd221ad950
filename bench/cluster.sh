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
# and Redis are throwaway servers of this script, on free loopback ports, in a temporary directory.
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
# PostgreSQL, Redis and jq come from Debian
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v jq >/dev/null 2>&1 || missing+=(jq)
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

wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
# a loopback port nothing listens on
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# the throwaway PostgreSQL (fsync on) and Redis
mkdir -p "$work/pg"; chown postgres:postgres "$work/pg"
as_postgres initdb -D "$work/pg/data" -A trust -U postgres -E UTF8 --locale=C >"$work/pg/initdb.log"
# a port that was free a moment ago may be taken when PostgreSQL binds it (right after a compare
# run, thousands of loopback sockets are closing): try another, and show the log if none works
for attempt in 1 2 3; do
  pg_port=$(free_port)
  if as_postgres pg_ctl -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg -c max_connections=300" start >/dev/null; then
    pg_started=1
    break
  fi
  echo "PostgreSQL did not start on port $pg_port (attempt $attempt):" >&2
  tail -5 "$work/pg/postgres.log" >&2 || true
done
[ $pg_started = 1 ] || { echo "PostgreSQL would not start" >&2; exit 1; }
redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redis" >"$work/redis/out.log" 2>&1 &
redis_pid=$!
wait_port "$redis_port"
pg_db() {
  as_postgres psql -h "$work/pg" -p "$pg_port" -U postgres -q -c "CREATE DATABASE \"$1\"" postgres
  echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"
}

# start_node NAME DB [EXTRA...]: one Parley node on free loopback ports; appends to pids and ports
ports=()
start_node() {
  local name=$1 db=$2; shift 2
  local dir=$work/$name; mkdir -p "$dir"
  local tcp http; tcp=$(free_port); http=$(free_port)
  dotnet "$server_dll" --tcp "127.0.0.1:$tcp" --http "127.0.0.1:$http" --db "$db" --node "$name" "$@" \
    --Parley:FlowControlDisabled=true --Parley:Limits:Disabled=true --Parley:AutoJoinLobby=false --Parley:IdleTimeout=01:00:00 \
    --Logging:LogLevel:Default=Warning >"$dir/out.log" 2>&1 &
  pids+=($!); ports+=("$tcp")
  wait_port "$tcp"
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
start_node n1 "$db" --redis "127.0.0.1:$redis_port" --Parley:Cluster=bench
start_node n2 "$db" --redis "127.0.0.1:$redis_port" --Parley:Cluster=bench
run_config postgres-redis-2

{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc) (a shared virtual machine: the generator, every node, PostgreSQL and Redis share these cores)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version)"
  echo "postgresql: $(dpkg-query -W -f='${Version}' "postgresql-$(basename "$(dirname "$pg_bin")")" 2>/dev/null) (fsync on, synchronous_commit on)"
  echo "redis-server: $(dpkg-query -W -f='${Version}' redis-server 2>/dev/null)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "measured seconds per run: $duration, room of $users users, $senders senders, window $window, one generator process"
  echo "$(dotnet "$bench_dll" fsync "$work")"
} >"$results/machine.txt"

else
  command -v jq >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }
  failures=0
  # the command line of the run being reported
  read -r duration users senders window < <(sed -n 's/^measured seconds per run: \([^,]*\), room of \([0-9]*\) users, \([0-9]*\) senders, window \([0-9]*\).*/\1 \2 \3 \4/p' "$results/machine.txt")
fi

if [ $docs = 1 ]; then
  out=$root/docs/benchmarks-cluster.md
  configs=(sqlite postgres postgres-redis-2)
  # row TITLE JQ-EXPRESSION: one table row over the three configurations
  row() {
    local title=$1 expr=$2
    local line="| $title |"
    for c in "${configs[@]}"; do
      if [ -f "$results/$c.fanout.json" ]; then line+=" $(jq -r "$expr" "$results/$c.fanout.json") |"; else line+=" missing |"; fi
    done
    echo "$line"
  }
  # 2,666,572 as the comparison's tables write it
  commas='def commas: tostring | [scan("\\d{1,3}(?=(?:\\d{3})*$)")] | join(","); '
  # the figures table, in docs/benchmarks-cluster.md and in its section of docs/benchmarks.md
  figures_table() {
    echo "| figure | one node, SQLite | one node, PostgreSQL | two nodes, PostgreSQL + Redis |"
    echo "|---|---:|---:|---:|"
    row "deliveries per second" "$commas"'.deliveriesPerSecond | floor | commas'
    row "messages acknowledged per second" "$commas"'.messagesPerSecond | floor | commas'
    row "ack latency p50 (ms)" '.ack.p50 * 100 | round / 100'
    row "ack latency p99 (ms)" '.ack.p99 * 100 | round / 100'
    row "ack latency p99.9 (ms)" '.ack.p999 * 100 | round / 100'
    row "delivery latency p50 (ms)" '.delivery.p50 * 100 | round / 100'
    row "delivery latency p99 (ms)" '.delivery.p99 * 100 | round / 100'
    row "server CPU s per million deliveries" '.serverCpuPerMillion * 100 | round / 100'
    row "generator CPU s" '.generatorCpuSeconds * 100 | round / 100'
    row "verdict (lost / doubled / out of order / errors)" '(if .failed then "**failed**" else "ok" end) + " \(.lost)/\(.doubled)/\(.outOfOrder)/\(.errors)"'
  }
  {
    echo "# One node or several: SQLite, PostgreSQL, PostgreSQL + Redis"
    echo
    echo "Written by \`bench/cluster.sh\` (do not edit by hand: rerun it). The same fan-out workload (one room, every"
    echo "sender sending again on each ack, see [the method](benchmarks-method.md)) against one Parley node on SQLite,"
    echo "one node on PostgreSQL, and two nodes sharing PostgreSQL and a Redis backplane ([scaling](scaling.md)), with"
    echo "the generator's users round-robin over the two nodes: half the senders and half the receivers on each, so"
    echo "about half the deliveries cross Redis. Every ack is a durable commit (SQLite WAL \`synchronous=FULL\`; PostgreSQL with"
    echo "fsync on). Flow control is lifted (\`--Parley:FlowControlDisabled=true\`) as in [the comparison](benchmarks.md)."
    echo
    echo "**The machine is a 2-core shared virtual machine**: the generator, the nodes, PostgreSQL and Redis all run on"
    echo "the same two cores, next to other work (see the load average). The figures compare the three set-ups on"
    echo "this box; they say nothing of what two nodes on two machines would do."
    echo
    echo "## The machine"
    echo
    echo '```'
    cat "$results/machine.txt"
    echo '```'
    echo
    echo "## The command"
    echo
    echo '```'
    echo "bench/cluster.sh --duration $duration --users $users --senders $senders --window $window"
    echo '```'
    echo
    echo "which ran:"
    echo
    echo '```'
    cat "$results/commands.txt"
    echo '```'
    echo
    echo "## The figures"
    echo
    echo "Server CPU is the Parley nodes' own (both nodes added up for the cluster), not PostgreSQL's or Redis's."
    echo
    figures_table
    echo
    echo "## What limits each"
    echo
    # the sentences quote the measured figures; which one limits is read from the figures, not assumed
    # what limits each is read from the figures: the cores the nodes used while measuring (of 2, shared with
    # the generator, PostgreSQL and Redis) say whether a node ran out of CPU or waited on its commits
    jq -rs '
      def f: . * 10 | round / 10;
      def f2: . * 100 | round / 100;
      def cores: .serverCpuSeconds / .seconds;
      def pct(a; b): (a / b * 100 | round);
      def verdict: if cores >= 0.9 then "the shared CPU is the limit (the nodes alone kept more than 0.9 of the 2 cores busy; the generator, PostgreSQL and Redis had the rest)" else "it is not short of CPU: it waits on its commits (and on the other processes on the same cores)" end;
      (map({(.server): .}) | add) as $r
      | $r.sqlite as $s | $r.postgres as $p | $r["postgres-redis-2"] as $c
      | "- **One node, SQLite**: the node used \($s | cores | f2) of the 2 cores while measuring (\($s.serverCpuPerMillion | f) CPU s per million deliveries), ack p50 \($s.ack.p50 | f) ms with the commit to a local WAL file: \($s | verdict).",
        "- **One node, PostgreSQL**: ack p50 \($p.ack.p50 | f) ms against SQLite'"'"'s \($s.ack.p50 | f) ms, as the durable commit becomes a round trip to another process and its fsync; the node used \($p | cores | f2) cores (\($p.serverCpuPerMillion | f) CPU s per million) for \(pct($p.deliveriesPerSecond; $s.deliveriesPerSecond))% of SQLite'"'"'s deliveries per second: \($p | verdict). PostgreSQL'"'"'s own CPU is not counted.",
        "- **Two nodes, PostgreSQL + Redis**: \(pct($c.deliveriesPerSecond; $p.deliveriesPerSecond))% of one PostgreSQL node'"'"'s deliveries per second; ack p50 \($c.ack.p50 | f) ms, delivery p50 \($c.delivery.p50 | f) ms (one node: \($p.ack.p50 | f), \($p.delivery.p50 | f)), every message crossing Redis once to reach the other node'"'"'s half of the room; the two nodes used \($c | cores | f2) cores together (\($c.serverCpuPerMillion | f) CPU s per million): \($c | verdict). On one 2-core box a second node adds a hop and a process, not cores: what it buys needs a machine of its own."
    ' "$results"/sqlite.fanout.json "$results"/postgres.fanout.json "$results"/postgres-redis-2.fanout.json || echo "(a run is missing: no sentences)"
  } >"$out"
  echo "wrote $out"

  # the same table in docs/benchmarks.md, between markers that bench/compare.sh's report keeps
  begin='<!-- bench/cluster.sh writes this section -->' end='<!-- end of the section bench/cluster.sh writes -->'
  section=$(mktemp)
  {
    echo "$begin"
    echo "## One node or several: SQLite, PostgreSQL, PostgreSQL + Redis"
    echo
    echo "The fan-out workload above, one generator process, against one node on SQLite, one on PostgreSQL and two"
    echo "sharing PostgreSQL and Redis (\`bench/cluster.sh --duration $duration --users $users --senders $senders --window $window\`,"
    echo "run on its own: the figures are comparable with each other, not with the tables above). The machine, the"
    echo "commands and what limits each: [One node or several](benchmarks-cluster.md)."
    echo
    figures_table
    echo "$end"
  } >"$section"
  bench_md=$root/docs/benchmarks.md
  if grep -qF "$begin" "$bench_md"; then
    # replace the old section
    awk -v begin="$begin" -v end="$end" -v file="$section" '
      $0 == begin { while ((getline line < file) > 0) print line; skip = 1; next }
      $0 == end { skip = 0; next }
      !skip' "$bench_md" >"$bench_md.new"
  else
    # the first time: before the charts
    awk -v file="$section" '
      /^## Charts/ && !done { while ((getline line < file) > 0) print line; print ""; done = 1 }
      { print }' "$bench_md" >"$bench_md.new"
  fi
  mv "$bench_md.new" "$bench_md"
  rm -f "$section"
  echo "wrote its section of $bench_md"
fi
echo "$failures failed runs; results in $results"
[ $failures = 0 ]
