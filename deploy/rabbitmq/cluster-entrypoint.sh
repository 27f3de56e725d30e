#!/bin/sh
# Makes the node a member of a cluster when RABBITMQ_CLUSTER_NODES lists the cluster's hosts (compose profile
# "cluster"): the nodes share the Erlang cookie RABBITMQ_CLUSTER_COOKIE, and a blank node joins the listed nodes
# (peer discovery from the config file). Then the image's own entrypoint starts the broker.
set -e
if [ -n "${RABBITMQ_CLUSTER_NODES:-}" ]; then
  if [ -z "${RABBITMQ_CLUSTER_COOKIE:-}" ]; then
    echo "RABBITMQ_CLUSTER_NODES is set but RABBITMQ_CLUSTER_COOKIE is not: the nodes need a shared secret" >&2
    exit 1
  fi
  cookie=/var/lib/rabbitmq/.erlang.cookie
  rm -f "$cookie"
  printf '%s' "$RABBITMQ_CLUSTER_COOKIE" >"$cookie"
  chmod 400 "$cookie"
  [ "$(id -u)" != 0 ] || chown rabbitmq:rabbitmq "$cookie"
  {
    echo "cluster_formation.peer_discovery_backend = classic_config"
    index=0
    for host in $(echo "$RABBITMQ_CLUSTER_NODES" | tr ',' ' '); do
      index=$((index + 1))
      echo "cluster_formation.classic_config.nodes.$index = rabbit@$host"
    done
  } >/etc/rabbitmq/conf.d/20-cluster.conf
fi
exec docker-entrypoint.sh "$@"
