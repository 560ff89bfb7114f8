#!/usr/bin/env bash
# Builds a multi-node Docker swarm on this machine for labrun's cluster
# tests: N engines from scripts/engines.sh (each in its own network
# namespace, with a host name of its own, node-FIRST … node-LAST), the
# first a manager, the others workers joined to it. Traffic between the
# namespaces crosses this machine, whose FORWARD policy the main engine
# sets to DROP: one ACCEPT rule between the engines' veths, tagged with the
# cluster's first engine, is added by up and removed by down. The main
# engine (/var/run/docker.sock) is never touched.
#
#   scripts/cluster.sh up N [FIRST]  engines FIRST..FIRST+N-1 (FIRST default
#                                    11), FIRST the manager
#   scripts/cluster.sh down [FIRST]  stop that cluster's engines, remove its rule
#   scripts/cluster.sh nodes [FIRST] print a --nodes file: each node's
#                                    address, then its engine's URL
#
# LABRUN_CLUSTER_REGISTRY=HOST:PORT makes every engine trust that registry
# over plain HTTP (its own daemon.json), for the registry way of putting
# images on every node.
set -euo pipefail
cd "$(dirname "$0")"

RUN=${LABRUN_ENGINES_RUN:-/run/labrun-engines}

log() { printf 'cluster: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The rule lets the engines' namespaces reach one another (swarm control on
# 2377, gossip on 7946, VXLAN on 4789, published ports), nothing else.
rule() { echo FORWARD -i 'lrveth+' -o 'lrveth+' -m comment --comment "labrun-cluster-$1" -j ACCEPT; }

sock() { echo "unix://$RUN/$1/docker.sock"; }

members_file() { echo "$RUN/cluster-$1"; }

case "${1:-}" in
up)
	count=${2:-} first=${3:-11}
	[[ "$count" =~ ^[1-9]$ && "$first" =~ ^[1-9][0-9]?$ ]] && [ $((first + count - 1)) -le 50 ] ||
		die "usage: $0 up N [FIRST] (N 1-9, engines 1-50)"
	[ "$(id -u)" = 0 ] || die "needs root (ip netns, iptables, dockerd)"
	last=$((first + count - 1))
	LABRUN_ENGINES_HOSTNAME=node LABRUN_ENGINES_INSECURE=${LABRUN_CLUSTER_REGISTRY:-} ./engines.sh up "$count" "$first"
	# shellcheck disable=SC2046
	iptables -C $(rule "$first") 2>/dev/null || iptables -I $(rule "$first" | sed 's/^FORWARD/FORWARD 1/')
	seq "$first" "$last" >"$(members_file "$first")"
	manager=$(sock "$first")
	token=$(docker -H "$manager" swarm join-token -q worker)
	for n in $(seq $((first + 1)) "$last"); do
		node=$(sock "$n")
		if [ "$(docker -H "$node" info --format '{{.Swarm.NodeID}}')" != "" ] &&
			docker -H "$manager" node inspect "$(docker -H "$node" info --format '{{.Swarm.NodeID}}')" >/dev/null 2>&1; then
			continue # already a node of this cluster
		fi
		docker -H "$node" swarm leave --force >/dev/null 2>&1 || true
		docker -H "$node" swarm join --token "$token" --advertise-addr "10.77.$n.2" \
			--listen-addr "10.77.$n.2:2377" "10.77.$first.2:2377" >/dev/null
	done
	# Every node ready before anyone uses the cluster (bounded).
	deadline=$((SECONDS + 60))
	until [ "$(docker -H "$manager" node ls --format '{{.Status}}' | grep -c '^Ready$')" = "$count" ]; do
		[ $SECONDS -lt $deadline ] || { docker -H "$manager" node ls >&2; die "not every node is ready after 60s"; }
		sleep 0.5
	done
	log "swarm of $count nodes: manager tcp://10.77.$first.2:2375, workers $(seq -s ' ' $((first + 1)) "$last")"
	;;
down)
	first=${2:-11}
	[[ "$first" =~ ^[1-9][0-9]?$ ]] || die "usage: $0 down [FIRST]"
	members=$(cat "$(members_file "$first")" 2>/dev/null || echo "$first")
	# shellcheck disable=SC2086
	./engines.sh down $members
	# shellcheck disable=SC2046
	while iptables -C $(rule "$first") 2>/dev/null; do iptables -D $(rule "$first"); done
	rm -f "$(members_file "$first")"
	;;
nodes)
	first=${2:-11}
	members=$(cat "$(members_file "$first")" 2>/dev/null) || die "no cluster starts at engine $first"
	for n in $members; do echo "10.77.$n.2 tcp://10.77.$n.2:2375"; done
	;;
*)
	die "usage: $0 up N [FIRST] | down [FIRST] | nodes [FIRST]"
	;;
esac
