#!/usr/bin/env bash
# Makes sure a Docker engine answers and that this node is a swarm manager,
# as labrun's tests need. When no engine answers, it installs Debian's
# docker.io and starts dockerd by hand (the machines have no systemd).
# Under CI=true a missing engine is a failure; elsewhere it is reported.
set -euo pipefail

log() { printf 'engine-up: %s\n' "$*" >&2; }

# The guided mode's tests drive labrun in a real terminal (tmux), where the
# student's shell runs curl as the tutorial does; the report tests validate
# the JUnit files with xmllint; the classroom tests start extra engines in
# network namespaces (ip, from iproute2), one of them with TLS (openssl);
# the ssh:// test reaches the engine through a real sshd of its own;
# the completion test completes in a real bash, with bash-completion;
# go install with cgo on needs a C compiler; the class board's test loads
# the board in a real headless browser (chromium).
# Each entry is COMMAND:DEBIAN-PACKAGE.
missing=()
for need in tmux:tmux curl:curl xmllint:libxml2-utils ip:iproute2 openssl:openssl sshd:openssh-server ssh:openssh-client gcc:gcc chromium:chromium; do
  command -v "${need%%:*}" >/dev/null 2>&1 || missing+=("${need#*:}")
done
[ -r /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

# An engine chosen elsewhere (DOCKER_HOST, a context) is not this
# machine's to install or start: say which one does not answer.
local_engine() {
  case "${DOCKER_HOST:-unix:///var/run/docker.sock}" in
  unix:///var/run/docker.sock | unix:///run/docker.sock) [ -z "${DOCKER_CONTEXT:-}" ] ;;
  *) return 1 ;;
  esac
}

if ! engine_answers && ! local_engine; then
  log "no Docker engine answers at ${DOCKER_HOST:-the context ${DOCKER_CONTEXT:-}}: start it, or unset DOCKER_HOST and DOCKER_CONTEXT to use this machine's"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
if ! engine_answers; then
  if ! command -v dockerd >/dev/null 2>&1; then
    log "no Docker engine answers and dockerd is not installed: installing Debian's docker.io"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq docker.io >/dev/null
  fi
  if ! engine_answers; then
    log "starting dockerd (log: /var/log/labrun-dockerd.log)"
    nohup dockerd >/var/log/labrun-dockerd.log 2>&1 &
    for _ in $(seq 60); do
      engine_answers && break
      sleep 1
    done
  fi
fi
if ! engine_answers; then
  log "no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}: see /var/log/labrun-dockerd.log, or install Docker (https://docs.docker.com/engine/install/)"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi

state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != active ]; then
  log "making this node a swarm manager (docker swarm init)"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
fi
[ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || { log "this node is a swarm worker, not a manager"; exit 1; }
log "engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})') is a swarm manager"
