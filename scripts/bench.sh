#!/usr/bin/env bash
# The benchmark of labrun against the reference scripts of the exercise, in
# one go on the same engine (never a timed test: timings are ratios taken in
# the same run):
#   - ../shared/bench/cli-floor.sh: the docker CLI detached, polled every
#     100 ms: what the engine itself needs to reach the lab's states;
#   - ../shared/bench/cli-blocking.sh: the tutorial as a plain script;
#   - labrun run whoami-rollback: the whole lab, images and cleanup included;
#   - labrun run whoami-rollback --fast: the same with the lab's shortened
#     timings (not the tutorial's), against the same floor.
#   - the class board (scripts/classbench): 200 simulated students on
#     127.0.0.1 sending every step's events at once to labrun class serve.
#   - a cluster (as root, with dockerd; BENCH_CLUSTER=0 leaves it out): the
#     whoami lab at the tutorial's pace on a 3-node swarm of namespaced
#     engines (scripts/cluster.sh, engines 46-48; images put on every node
#     by labrun, included in the time) against the same lab on a one-node
#     swarm of the same kind of engine (engine 49, same storage driver),
#     median of 3 runs each.
# Targets: labrun <= 1.10 x the floor and below the blocking script; labrun
# --fast <= 0.35 x the floor; CPU (user+sys of labrun and the docker
# commands it runs) <= 1.0 s; peak RSS <= 60 MB; the class board >= 2,000
# events/s stored and p95 update delay <= 1 s, no event lost; the cluster
# <= 1.15 x the one-node swarm. Exit status 1
# when a target is missed.
# Env: BENCH_DIR (../shared/bench), LABRUN (bin/labrun), RUNS (1),
#      BENCH_PORT (18800), BENCH_NAME (labrun-bench: services and images),
#      CLASS_BENCH_PORT (18890: the class board's server).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-../shared/bench}
LABRUN=${LABRUN:-bin/labrun}
RUNS=${RUNS:-1}
PORT=${BENCH_PORT:-18800}
NAME=${BENCH_NAME:-labrun-bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$LABRUN" ] || make build >/dev/null
for s in cli-floor.sh cli-blocking.sh; do
  [ -f "$BENCH_DIR/$s" ] || { echo "bench: $BENCH_DIR/$s is missing (set BENCH_DIR)" >&2; exit 2; }
done

total_of() { sed -n 's/^total: //p' "$1"; }
# The reference scripts remove their service on exit; swarm removes its
# containers a moment later, and the port is busy until then.
settle() {
  for _ in $(seq 150); do
    [ -z "$(docker ps -aq --filter label=com.docker.swarm.service.name=$NAME)" ] && return
    sleep 0.2
  done
  echo "bench: the reference scripts' containers are still there after 30 s" >&2; exit 1
}

# The reference scripts need the images built: labrun builds them once and
# keeps them. This run also warms the engine for every contender and, on an
# engine whose routing mesh is dead, lets labrun remember that (24 h): the
# measured run then skips the probe, as a second run on a machine does.
"$LABRUN" run whoami-rollback -q --keep-images --set IMAGE=$NAME --set SERVICE=$NAME --set PORT=$PORT \
  || { echo "bench: the preparation run failed" >&2; exit 1; }
trap 'rm -rf "$work"; settle; docker image rm $NAME:1.0 $NAME:2.0 >/dev/null 2>&1 || true' EXIT

# The reference scripts publish target=PORT unless told: the server listens on 8000.
ref_env=(SERVICE=$NAME IMAGE1=$NAME:1.0 IMAGE2=$NAME:2.0 PORT=$PORT PUBLISH=mode=host,target=8000,published=$PORT)

floor_sum=0 blocking_sum=0 labrun_sum=0 fast_sum=0 cpu_max=0 rss_max=0
for i in $(seq "$RUNS"); do
  settle
  env "${ref_env[@]}" bash "$BENCH_DIR/cli-floor.sh" >"$work/floor" || { echo "bench: cli-floor.sh failed" >&2; exit 1; }
  settle
  env "${ref_env[@]}" bash "$BENCH_DIR/cli-blocking.sh" >"$work/blocking" || { echo "bench: cli-blocking.sh failed" >&2; exit 1; }
  settle
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
    "$LABRUN" run whoami-rollback -q --json "$work/labrun.json" --set IMAGE=${NAME}2 --set SERVICE=${NAME}2 --set PORT=$PORT \
    || { echo "bench: labrun failed:" >&2; jq -r .error "$work/labrun.json" >&2; exit 1; }
  read -r wall user sys rss <"$work/time"
  floor=$(total_of "$work/floor") blocking=$(total_of "$work/blocking")
  cpu=$(echo "$user + $sys" | bc -l)
  printf 'run %d: floor %6.2fs  blocking %6.2fs  labrun %6.2fs  (cpu %.2fs, rss %d MB)\n' \
    "$i" "$floor" "$blocking" "$wall" "$cpu" $((rss / 1024))
  jq -r '.steps[] | "         \(.id): \(.duration_s)s"' "$work/labrun.json"
  jq -r '.notices[]? | "         notice: \(.)"' "$work/labrun.json"
  settle
  /usr/bin/time -f '%e %U %S %M' -o "$work/time-fast" \
    "$LABRUN" run whoami-rollback --fast -q --json "$work/fast.json" --set IMAGE=${NAME}3 --set SERVICE=${NAME}3 --set PORT=$PORT \
    || { echo "bench: labrun --fast failed:" >&2; jq -r .error "$work/fast.json" >&2; exit 1; }
  read -r fwall fuser fsys frss <"$work/time-fast"
  printf '       labrun --fast %6.2fs  (cpu %.2fs, rss %d MB; shortened timings, not the tutorial'"'"'s)\n' \
    "$fwall" "$(echo "$fuser + $fsys" | bc -l)" $((frss / 1024))
  jq -r '.steps[] | "         \(.id): \(.duration_s)s"' "$work/fast.json"
  fast_sum=$(echo "$fast_sum + $fwall" | bc -l)
  floor_sum=$(echo "$floor_sum + $floor" | bc -l)
  blocking_sum=$(echo "$blocking_sum + $blocking" | bc -l)
  labrun_sum=$(echo "$labrun_sum + $wall" | bc -l)
  cpu_max=$(echo "if ($cpu > $cpu_max) $cpu else $cpu_max" | bc -l)
  rss_max=$(( rss > rss_max ? rss : rss_max ))
done

ratio_floor=$(echo "$labrun_sum / $floor_sum" | bc -l)
ratio_blocking=$(echo "$labrun_sum / $blocking_sum" | bc -l)
ratio_fast=$(echo "$fast_sum / $floor_sum" | bc -l)
ok=true
# target FORMAT VALUE CONDITION: print the figure and its verdict, and
# remember a miss (in this shell: a verdict in $(...) could not).
target() {
  local verdict=ok
  if [ "$(echo "$3" | bc -l)" != 1 ]; then verdict=MISSED; ok=false; fi
  # shellcheck disable=SC2059
  printf "$1  %s\n" "$2" "$verdict"
}
echo
target 'labrun / floor    = %.3f  (target <= 1.10)' "$ratio_floor" "$ratio_floor <= 1.10"
target 'labrun / blocking = %.3f  (target <  1.00)' "$ratio_blocking" "$ratio_blocking < 1"
target 'fast / floor      = %.3f  (target <= 0.35, --fast: not the tutorial'"'"'s timings)' "$ratio_fast" "$ratio_fast <= 0.35"
target 'cpu (max)         = %.2fs  (target <= 1.0 s)' "$cpu_max" "$cpu_max <= 1.0"
target 'peak rss (max)    = %d MB  (target <= 60 MB)' $((rss_max / 1024)) "$((rss_max / 1024)) <= 60"

# median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# cluster_runs URL TAG: the whoami lab 3 times on the engine at URL, each
# run's wall time on a line of $work/TAG.
cluster_runs() {
  local url=$1 tag=$2 i
  : >"$work/$tag"
  for i in 1 2 3; do
    /usr/bin/time -f '%e' -o "$work/$tag.time" \
      "$LABRUN" run whoami-rollback -q --host "$url" --json "$work/$tag-$i.json" \
      || { echo "bench: labrun on $tag failed:" >&2; jq -r .error "$work/$tag-$i.json" >&2; return 1; }
    cat "$work/$tag.time" >>"$work/$tag"
  done
}

if [ "${BENCH_CLUSTER:-1}" = 1 ] && [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null; then
  echo
  scripts/cluster.sh up 3 46 >/dev/null 2>&1 && LABRUN_ENGINES_HOSTNAME=node scripts/engines.sh up 1 49 >/dev/null 2>&1 \
    || { echo "bench: the test engines did not start" >&2; scripts/cluster.sh down 46 >/dev/null 2>&1; scripts/engines.sh down 49 >/dev/null 2>&1; exit 1; }
  trap 'rm -rf "$work"; settle; docker image rm $NAME:1.0 $NAME:2.0 >/dev/null 2>&1 || true; scripts/cluster.sh down 46 >/dev/null 2>&1; scripts/engines.sh down 49 >/dev/null 2>&1' EXIT
  if cluster_runs tcp://10.77.49.2:2375 one-node && cluster_runs tcp://10.77.46.2:2375 cluster; then
    one=$(median $(cat "$work/one-node")) three=$(median $(cat "$work/cluster"))
    printf 'one-node swarm (engine 49): %s s   3-node swarm (engines 46-48): %s s   (medians of 3)\n' "$one" "$three"
    target 'cluster / one node = %.3f  (target <= 1.15)' "$(echo "$three / $one" | bc -l)" "$three / $one <= 1.15"
  else
    ok=false
  fi
fi

echo
go run ./scripts/classbench -labrun "$LABRUN" -students 200 -listen 127.0.0.1:${CLASS_BENCH_PORT:-18890} || ok=false
$ok
