#!/usr/bin/env bash
# Starts extra Docker engines on this machine, a classroom in a box, for
# labrun's multi-engine tests: engine N runs in its own network namespace
# (labrun-engN), joined to the host by a veth pair on 10.77.N.0/24 (host
# side 10.77.N.1, engine 10.77.N.2), with its own data-root, exec-root,
# pidfile, bridge (lrbrN, 10.78.N.0/24), unix socket
# /run/labrun-engines/N/docker.sock and a TCP listener tcp://10.77.N.2:2375
# (no TLS: test only, reachable from this machine alone). Each engine is a
# single-node swarm manager advertising 10.77.N.2.
#
#   scripts/engines.sh up N [FIRST]  start engines FIRST..FIRST+N-1 (FIRST
#                                    default 1; those already up are kept)
#   scripts/engines.sh down [K...]   stop engines K... (default: every engine
#                                    this script started), remove their
#                                    namespaces, veths, mounts and files
#   scripts/engines.sh hosts         print the engines' tcp:// URLs
#
# With LABRUN_ENGINES_TLS=1, the engines started listen with TLS instead,
# on tcp://10.77.N.2:2376 (--tlsverify): a CA, a server certificate for
# 10.77.N.2 and a client certificate are made in /run/labrun-engines/N/tls,
# the client's (ca.pem, cert.pem, key.pem) in its client/ directory, for
# DOCKER_CERT_PATH.
#
# With LABRUN_ENGINES_HOSTNAME=PREFIX, engine N runs in a UTS namespace of
# its own named PREFIX-N (otherwise every engine reports this machine's
# host name, and swarm nodes are told apart by ID and address only). With
# LABRUN_ENGINES_INSECURE=HOST:PORT[,HOST:PORT...], the engines trust those
# registries over plain HTTP (insecure-registries in their own daemon.json).
#
# The main engine (/var/run/docker.sock, docker0 and its iptables rules) is
# never touched: each engine's bridge and iptables rules live in its own
# network namespace, and its mounts in the private mount namespace that
# ip netns exec gives it. Needs root, ip (iproute2) and Debian's dockerd.
set -euo pipefail

RUN=${LABRUN_ENGINES_RUN:-/run/labrun-engines}
DATA=${LABRUN_ENGINES_DATA:-/var/lib/labrun-engines}
# vfs needs nothing from the kernel or FUSE; the labs' images are a few MB.
STORAGE=${LABRUN_ENGINES_STORAGE:-vfs}
START_TIMEOUT=${LABRUN_ENGINES_START_TIMEOUT:-60}

log() { printf 'engines: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

ns() { echo "labrun-eng$1"; }

engine_up() {
	local n=$1 ns dir data sock veth_h veth_n
	ns=$(ns "$n")
	dir=$RUN/$n
	data=$DATA/$n
	sock=$dir/docker.sock
	veth_h=lrveth${n}h
	veth_n=lrveth${n}n
	if [ -S "$sock" ] && docker -H "unix://$sock" info >/dev/null 2>&1; then
		log "engine $n is already up"
		return 0
	fi
	mkdir -p "$dir" "$data"
	# Its own daemon.json, not /etc/docker/daemon.json: the main engine's.
	if [ -n "${LABRUN_ENGINES_INSECURE:-}" ]; then
		printf '{"insecure-registries": ["%s"]}\n' "${LABRUN_ENGINES_INSECURE//,/\",\"}" >"$dir/daemon.json"
	else
		printf '{}\n' >"$dir/daemon.json"
	fi
	local hn=""
	if [ -n "${LABRUN_ENGINES_HOSTNAME:-}" ]; then
		hn="$LABRUN_ENGINES_HOSTNAME-$n"
	fi
	if ! ip netns list | grep -qw "$ns"; then
		ip netns add "$ns"
	fi
	if ! ip link show "$veth_h" >/dev/null 2>&1; then
		ip link add "$veth_h" type veth peer name "$veth_n"
		ip link set "$veth_n" netns "$ns"
		ip addr add "10.77.$n.1/24" dev "$veth_h"
		ip link set "$veth_h" up
		ip netns exec "$ns" ip addr add "10.77.$n.2/24" dev "$veth_n"
		ip netns exec "$ns" ip link set "$veth_n" up
		ip netns exec "$ns" ip link set lo up
		ip netns exec "$ns" ip route add default via "10.77.$n.1"
		ip netns exec "$ns" ip link add "lrbr$n" type bridge
		ip netns exec "$ns" ip addr add "10.78.$n.1/24" dev "lrbr$n"
		ip netns exec "$ns" ip link set "lrbr$n" up
	fi
	# No registry is reachable from here, and the engine must learn it at
	# once, as the main engine does, not after DNS timeouts: its resolver
	# is the namespace's own loopback, where nothing answers on port 53 and
	# refusals are not rate-limited (ip netns exec mounts
	# /etc/netns/NS/resolv.conf over /etc/resolv.conf).
	mkdir -p "/etc/netns/$ns"
	printf 'nameserver 127.0.0.1\n' >"/etc/netns/$ns/resolv.conf"
	local listen=(--host "tcp://10.77.$n.2:2375")
	if [ "${LABRUN_ENGINES_TLS:-}" = 1 ]; then
		make_certs "$n" "$dir/tls"
		listen=(--host "tcp://10.77.$n.2:2376" --tlsverify --tlscacert "$dir/tls/ca.pem"
			--tlscert "$dir/tls/server-cert.pem" --tlskey "$dir/tls/server-key.pem")
	fi
	log "starting engine $n in netns $ns (log: $dir/dockerd.log)"
	# ip netns exec mounts a fresh /sys (so that it shows the namespace's
	# interfaces), which hides the cgroup hierarchies dockerd needs: mount
	# them again, as this machine has them, in its private mount namespace.
	cgroup_mounts >"$dir/cgroups"
	# setsid: the engine outlives this script and ignores its terminal's ^C.
	# With a host name of its own, dockerd starts in a new UTS namespace.
	setsid ip netns exec "$ns" env LRHOSTNAME="$hn" sh -c '
		while read -r fstype opts mp; do
			mkdir -p "$mp" && mount -t "$fstype" -o "$opts" "$fstype" "$mp" || exit 1
		done <"$0"
		if [ -n "$LRHOSTNAME" ]; then
			exec unshare --uts sh -c "hostname \"\$LRHOSTNAME\" && exec \"\$@\"" sh "$@"
		fi
		exec "$@"' "$dir/cgroups" dockerd \
		--config-file "$dir/daemon.json" \
		--data-root "$data" \
		--exec-root "$dir/exec" \
		--pidfile "$dir/dockerd.pid" \
		--host "unix://$sock" \
		"${listen[@]}" \
		--bridge "lrbr$n" \
		--storage-driver "$STORAGE" \
		--cgroup-parent "labrun-engine-$n" \
		>"$dir/dockerd.log" 2>&1 </dev/null &
	echo "${listen[1]}" >"$dir/host"
	local deadline=$((SECONDS + START_TIMEOUT))
	until docker -H "unix://$sock" info >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ]; then
			tail -n 20 "$dir/dockerd.log" >&2 || true
			die "engine $n did not answer on $sock within ${START_TIMEOUT}s"
		fi
		sleep 0.5
	done
	if [ "$(docker -H "unix://$sock" info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
		docker -H "unix://$sock" swarm init --advertise-addr "10.77.$n.2" --listen-addr "10.77.$n.2:2377" >/dev/null
	fi
	log "engine $n: ${listen[1]} unix://$sock, swarm manager"
}

# cgroup_mounts prints this machine's cgroup file systems (the tmpfs that
# holds them first) as "fstype options mountpoint" lines.
cgroup_mounts() {
	awk '$2 == "/sys/fs/cgroup" && $3 == "tmpfs" {print $3, $4, $2}' /proc/self/mounts
	awk '$2 ~ "^/sys/fs/cgroup/" && ($3 == "cgroup" || $3 == "cgroup2") {print $3, $4, $2}' /proc/self/mounts
	awk '$2 == "/sys/fs/cgroup" && $3 == "cgroup2" {print $3, $4, $2}' /proc/self/mounts
}

# make_certs makes a CA, a server certificate for engine N's address and
# a client certificate, in DIR (the client's in DIR/client).
make_certs() {
	local n=$1 d=$2
	mkdir -p "$d/client"
	(
		cd "$d"
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=labrun test CA $n" \
			-keyout ca-key.pem -out ca.pem 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -subj "/CN=10.77.$n.2" -keyout server-key.pem -out server.csr 2>/dev/null
		printf 'subjectAltName=IP:10.77.%s.2\nextendedKeyUsage=serverAuth\n' "$n" >server.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
			-extfile server.ext -out server-cert.pem 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -subj "/CN=labrun test client" -keyout client/key.pem -out client.csr 2>/dev/null
		printf 'extendedKeyUsage=clientAuth\n' >client.ext
		openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
			-extfile client.ext -out client/cert.pem 2>/dev/null
		cp ca.pem client/ca.pem
		chmod 600 ./*-key.pem client/key.pem
	)
}

engine_down() {
	local n=$1 ns dir pid
	ns=$(ns "$n")
	dir=$RUN/$n
	if [ -f "$dir/dockerd.pid" ]; then
		pid=$(cat "$dir/dockerd.pid")
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" || true
			for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
			kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" || true
		fi
	fi
	# What the engine left running in its namespace (containerd, shims,
	# containers), by pid: ip netns pids lists only that namespace's.
	if ip netns list | grep -qw "$ns"; then
		local pids
		pids=$(ip netns pids "$ns" 2>/dev/null || true)
		if [ -n "$pids" ]; then
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null || true
			sleep 0.5
		fi
		ip netns del "$ns" # takes the veth pair and the bridge with it
	fi
	ip link del "lrveth${n}h" 2>/dev/null || true
	# Mounts of the engine live in ip netns exec's mount namespace and end
	# with it; any that reached this one are removed before the files.
	local m
	for m in $(awk -v r="$DATA/$n" -v e="$dir" '$2 ~ "^"r || $2 ~ "^"e {print $2}' /proc/self/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$dir" "${DATA:?}/$n" "/etc/netns/$ns"
	log "engine $n is down"
}

engines_started() {
	{
		ls "$RUN" 2>/dev/null
		ls "$DATA" 2>/dev/null
		ip netns list 2>/dev/null | awk '{print $1}' | sed -n 's/^labrun-eng//p'
		ls /etc/netns 2>/dev/null | sed -n 's/^labrun-eng//p'
	} | grep -E '^[0-9]+$' | sort -nu
}

case "${1:-}" in
up)
	count=${2:-} first=${3:-1}
	[[ "$count" =~ ^[1-9][0-9]?$ && "$first" =~ ^[1-9][0-9]?$ ]] && [ $((first + count - 1)) -le 50 ] ||
		die "usage: $0 up N [FIRST] (engines 1-50)"
	[ "$(id -u)" = 0 ] || die "needs root (ip netns, dockerd)"
	command -v dockerd >/dev/null || die "dockerd is not installed (apt-get install docker.io)"
	for n in $(seq "$first" $((first + count - 1))); do
		engine_up "$n" &
	done
	failed=0
	for job in $(jobs -p); do wait "$job" || failed=1; done
	[ $failed = 0 ] || die "some engines did not start; scripts/engines.sh down removes them"
	;;
down)
	shift
	for n in "$@"; do [[ "$n" =~ ^[1-9][0-9]?$ ]] || die "usage: $0 down [K...]"; done
	for n in ${*:-$(engines_started)}; do engine_down "$n"; done
	rmdir "$RUN" "$DATA" 2>/dev/null || true
	;;
hosts)
	for n in $(engines_started); do cat "$RUN/$n/host" 2>/dev/null || echo "tcp://10.77.$n.2:2375"; done
	;;
*)
	die "usage: $0 up N [FIRST] | down [K...] | hosts"
	;;
esac
