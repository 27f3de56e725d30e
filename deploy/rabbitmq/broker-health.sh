#!/bin/sh
# The broker's health check. A single node: healthy while it runs. In a cluster (RABBITMQ_CLUSTER_NODES), the
# first listed node is the seed the others join, healthy while it runs; any other node becomes healthy once it has
# joined (a marker remembers that, so the later loss of another node does not make this one unhealthy). The
# services wait for every node to be healthy: a quorum queue is replicated on the nodes present when it is declared.
set -e
rabbitmq-diagnostics -q ping >/dev/null
[ -n "${RABBITMQ_CLUSTER_NODES:-}" ] || exit 0
seed=${RABBITMQ_CLUSTER_NODES%%,*}
[ "$(hostname -s)" != "$seed" ] || exit 0
marker=/var/lib/rabbitmq/.pipeline-cluster-joined
[ ! -e "$marker" ] || exit 0
running=$(rabbitmq-diagnostics -q cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]' | grep -o 'rabbit@' | wc -l)
[ "$running" -ge 2 ]
touch "$marker"
