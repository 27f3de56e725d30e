#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine it installs and starts what the tests need, builds, and
# runs every test:
#   1. apt packages (rabbitmq-server, postgresql, chromium) and a Docker engine with docker compose
#      (deploy/local/docker.sh: Debian trixie's docker.io, started as a plain dockerd); the images are pulled,
#      or built as stand-ins from Debian packages where no registry answers;
#   2. the offline check of the Kubernetes manifests (deploy/k8s/check.sh);
#   3. every test project, with the broker and the database from Testcontainers, including the compose
#      deployment tests (tests/Pipeline.DeploymentTests) on `docker compose`: the default profile, and the
#      cluster and observability profiles together;
#   4. the storage tests and the integration tests that use a broker or a database (Category=Servers) once
#      more, on RabbitMQ and PostgreSQL started as plain processes (deploy/local/services.sh): the path for
#      machines without a Docker engine.
# PIPELINE_TEST_SERVERS=local runs everything but the compose test on plain processes alone, without Docker.
# The fast loop, with nothing installed: dotnet test Pipeline.sln --filter "Category!=Servers".
# Usage: bash tests/run.sh [extra dotnet test arguments, e.g. --filter Category!=Slow]
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/local/services.sh
source deploy/local/docker.sh

servers=${PIPELINE_TEST_SERVERS:-docker}
# One line, before anything is installed, on what this changes on the host (tests/README.md says more).
if [ "$servers" = docker ]; then
  echo "tests/run.sh installs what is missing: with apt rabbitmq-server, postgresql, chromium, and a Docker engine from Debian trixie (docker.io, docker-compose, debootstrap; on bookworm this also upgrades libc6, systemd and python3 to trixie's), then starts dockerd; to keep the host as it is, start a Docker engine of your own (API 1.44+, with docker compose and debootstrap) or run PIPELINE_TEST_SERVERS=local bash tests/run.sh (no Docker)"
else
  echo "tests/run.sh installs what is missing: with apt rabbitmq-server, postgresql, chromium (no Docker: PIPELINE_TEST_SERVERS=local)"
fi
pipeline_services_install
if [ "$servers" = docker ]; then
  pipeline_docker_up
  echo "docker engine and images ready after $SECONDS s"
  # The reaper's image is not among the images above; the containers are removed here instead.
  export TESTCONTAINERS_RYUK_DISABLED=true
  trap 'docker rm -fv $(docker ps -aq --filter label=org.testcontainers=true) >/dev/null 2>&1 || true' EXIT
  if ! pipeline_delayed_exchange_reachable; then
    echo "the delayed-message-exchange plugin cannot be downloaded here: the compose test's broker goes without it"
    export RABBITMQ_DELAYED_EXCHANGE=false
  fi
  echo "== docker-compose.yml"
  docker compose config -q \
    && docker compose --env-file .env --env-file deploy/cluster.env --profile observability config -q \
    && echo "docker compose config: ok (default, cluster and observability profiles)"
fi

echo "== build"
dotnet build Pipeline.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
rm -f TestResults/*-summary.txt
status=0
echo "== deploy/k8s (offline: schemas, fields, references; no cluster)"
bash deploy/k8s/check.sh || status=1
run_tests() {
  set +e
  dotnet test "$@" 2>&1 | tee -a "$log"
  local code=${PIPESTATUS[0]}
  set -e
  [ "$code" = 0 ] || status=$code
}

if [ "$servers" = docker ]; then
  echo "== test (Testcontainers and docker compose)"
  run_tests Pipeline.sln -c Release --no-build -nologo -m:1 "$@"
  echo "== test (RabbitMQ and PostgreSQL as plain processes)"
  pipeline_services_start
  trap 'pipeline_services_stop; docker rm -fv $(docker ps -aq --filter label=org.testcontainers=true) >/dev/null 2>&1 || true' EXIT
  run_tests tests/Pipeline.Storage.Tests -c Release --no-build -nologo "$@"
  # Only the integration tests that use a broker or a database (the others ran above, on no server).
  run_tests tests/Pipeline.IntegrationTests -c Release --no-build -nologo --filter Category=Servers "$@"
else
  echo "== test (RabbitMQ and PostgreSQL as plain processes)"
  pipeline_services_start
  trap pipeline_services_stop EXIT
  for project in tests/*/*.Tests.csproj tests/Pipeline.IntegrationTests tests/Pipeline.FaultTests; do
    run_tests "$project" -c Release --no-build -nologo "$@"
  done
fi

cat TestResults/*-summary.txt 2>/dev/null || true
echo "test command: $((SECONDS / 60)) min $((SECONDS % 60)) s"
# One closing line for every test assembly together.
awk '/(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
