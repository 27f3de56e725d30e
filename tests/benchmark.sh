#!/usr/bin/env bash
# The end-to-end throughput benchmark from a fresh clone: installs and starts RabbitMQ and PostgreSQL as the
# test command does, builds the solution in Release (the benchmark starts the built services), and runs
# `Pipeline.Benchmarks e2e`. Usage: bash tests/benchmark.sh [--documents N] [--runs cores,bus,embedded,deployed,stages]
# [--repeat N] (the deployed runs with telemetry on and off N times, in turn, and their medians)
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/local/services.sh

pipeline_services_up

dotnet build Pipeline.sln -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project tests/Pipeline.Benchmarks -- e2e "$@"
