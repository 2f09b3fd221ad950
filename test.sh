#!/usr/bin/env bash
# Runs every Parley test on this machine. On a fresh Debian machine it first installs what the
# tests need (Debian packages through apt-get; NuGet packages come with the restore).
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use, by the command that shows they are there.
declare -A needs=(
  [chromium]=chromium   # the browser tests drive Debian's Chromium through Playwright
  [tmux]=tmux           # the terminal client is tested in a real pseudo-terminal
  [redis-server]=redis-server   # the cluster tests start their own Redis
)
missing=()
for command in "${!needs[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${needs[$command]}")
done
# PostgreSQL's tools are not on PATH: the package puts them under /usr/lib/postgresql/VERSION/bin
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# HAProxy is in /usr/sbin, which a user's PATH may not have; the deploying guide's config is tested with it
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Parley.slnx "$@" 2>&1 | tee "$log" || status=$?

# one closing line for the whole run, summed over the test assemblies
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
