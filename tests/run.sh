#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine it installs what the tests need (RabbitMQ,
# PostgreSQL, docker-compose), starts the broker and the database as plain processes on free loopback
# ports (or leaves them to Testcontainers where a Docker engine answers), builds, and runs every test.
# Usage: bash tests/run.sh [extra dotnet test arguments, e.g. --filter Category!=Slow]
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/local/services.sh

pipeline_services_up

echo "== docker-compose.yml"
docker-compose config -q && echo "docker-compose config: ok"

echo "== build"
dotnet build Pipeline.sln -c Release -nologo -clp:ErrorsOnly

echo "== test"
log=$(mktemp)
rm -f TestResults/fault-summary.txt
set +e
dotnet test Pipeline.sln -c Release --no-build -nologo -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ -f TestResults/fault-summary.txt ]; then cat TestResults/fault-summary.txt; fi
# One closing line for every test assembly together.
awk '/(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
