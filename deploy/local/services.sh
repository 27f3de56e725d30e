#!/usr/bin/env bash
# Starts RabbitMQ and PostgreSQL as plain processes on free loopback ports, data in a temp folder, for
# machines without a Docker engine and for the benchmark. Source it, then call:
#   pipeline_services_install   apt packages (once per machine; skipped when present)
#   pipeline_services_start     starts both and exports PIPELINE_TEST_RABBITMQ / PIPELINE_TEST_POSTGRES
#   pipeline_services_stop      stops both and removes their data
#   pipeline_services_up        install, then start unless servers are named already; stops them when the
#                               calling shell exits (tests/benchmark.sh)
# The exported variables are what the tests read; with them unset the tests start Testcontainers instead
# (deploy/local/docker.sh). Sourcing it sets no shell options: a caller that wants to stop at the first
# failing step sets errexit itself, and one that does not still reaches pipeline_services_stop.

pipeline_services_install() {
  local missing=()
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {
  local what=$1 tries=$2; shift 2
  for _ in $(seq "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$what did not start" >&2
  return 1
}

pipeline_services_start() {
  PIPELINE_SERVICES_DIR=$(mktemp -d /tmp/pipeline-services.XXXXXX)
  chmod 755 "$PIPELINE_SERVICES_DIR"
  export PIPELINE_SERVICES_DIR
  start_rabbitmq
  start_postgres
}

start_rabbitmq() {
  local dir=$PIPELINE_SERVICES_DIR/rabbitmq
  mkdir -p "$dir/mnesia" "$dir/log"
  local amqp_port mgmt_port dist_port
  amqp_port=$(free_port); mgmt_port=$(free_port); dist_port=$(free_port)
  printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt_port
loopback_users = none
# RabbitMQ 4's default (older releases allow 128 MiB): the tests see the limit a current broker sets.
max_message_size = 16777216
CONF
  # A node name of its own keeps it apart from a system broker or a parallel run.
  export RABBITMQ_NODENAME="pipeline-$amqp_port@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port
  export RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log
  export RABBITMQ_CONFIG_FILE=$dir/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  # As compose runs it: schedulers that sleep when idle instead of spinning, since the broker shares its cores with
  # the stages (tests/benchmark.sh: deployed 98.6 → 105.6 docs/s, RabbitMQ 3.11 → 2.75 ms CPU per document).
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-+sbwt none +sbwtdcpu none +sbwtdio none}"
  export HOME_BEFORE_RABBITMQ=$HOME
  HOME=$dir /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/server.out" 2>&1 &
  echo $! >"$dir/pid"
  wait_for "RabbitMQ" 60 env HOME="$dir" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBITMQ_NODENAME" await_startup
  export PIPELINE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$amqp_port/"
  export PIPELINE_TEST_RABBITMQ_MANAGEMENT="http://guest:guest@127.0.0.1:$mgmt_port/"
  export PIPELINE_TEST_RABBITMQ_CTL="env HOME=$dir /usr/lib/rabbitmq/bin/rabbitmqctl -n $RABBITMQ_NODENAME"
  echo "RabbitMQ on 127.0.0.1:$amqp_port (management $mgmt_port)"
}

start_postgres() {
  local dir=$PIPELINE_SERVICES_DIR/postgres bin port
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  port=$(free_port)
  mkdir -p "$dir"
  # PostgreSQL refuses to run as root: run it as the postgres user the Debian package creates.
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U pipeline --auth=trust -E UTF8 >"$dir/initdb.out"
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U pipeline pipeline
  export PIPELINE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=pipeline;Password=pipeline;Database=pipeline"
  export PIPELINE_TEST_POSTGRES_CTL="${as[*]} $bin/pg_ctl -D $dir/data"
  echo "PostgreSQL on 127.0.0.1:$port"
}

pipeline_services_stop() {
  [ -n "${PIPELINE_SERVICES_DIR:-}" ] || return 0
  ${PIPELINE_TEST_POSTGRES_CTL:-true} -m immediate stop >/dev/null 2>&1 || true
  ${PIPELINE_TEST_RABBITMQ_CTL:-true} stop >/dev/null 2>&1 || true
  [ -f "$PIPELINE_SERVICES_DIR/rabbitmq/pid" ] && kill "$(cat "$PIPELINE_SERVICES_DIR/rabbitmq/pid")" 2>/dev/null || true
  rm -rf "$PIPELINE_SERVICES_DIR"
}

pipeline_services_up() {
  pipeline_services_install
  if [ -z "${PIPELINE_TEST_RABBITMQ:-}" ]; then
    pipeline_services_start
    trap pipeline_services_stop EXIT
  fi
}
