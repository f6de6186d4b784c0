#!/usr/bin/env bash
# bench/src/interleave-pools.sh — Reprise's OpenSSL engine on Tomcat's platform-thread pool and on virtual threads,
# both servers up at once on CPU 0 with rounds alternating between them (RSA 2048), so that the machine's drift
# falls on both alike. Run after bin/bench, which builds bench/target (classes, lib/, hsbench) and its certificates.
# Prints one line per round and case: round, pool (pt or vt), case, handshakes per second.
set -euo pipefail
B="$(cd "$(dirname "${BASH_SOURCE[0]}")/../target" && pwd)"
R=$B/bench-run
J=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=$B/interleave-pools
mkdir -p "$out/pt" "$out/vt"
start() { # pool, extra server arguments
  # shellcheck disable=SC2086 # $2 is a list of words
  taskset -c 0 "$J/bin/java" -Xms1g -Xmx3g -cp "$B/classes:$B/lib/*" org.reprise.bench.BenchServer --variant reprise \
    --attr resumptionEngine=openssl $2 --cert "$R/certs/rsa.pem" --key "$R/certs/rsa.key" --type RSA \
    --data-dir "$out/$1" >"$out/$1.log" 2>&1 &
  pids+=($!)
}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start pt ""
start vt "--attr useVirtualThreads=true"
declare -A port
for pool in pt vt; do
  for _ in $(seq 120); do
    port[$pool]="$(sed -n 's/^READY //p' "$out/$pool.log")"
    [[ -n "${port[$pool]}" ]] && break
    sleep 0.5
  done
done
cases=("id|-t 8 -m id -c ECDHE-RSA-AES128-GCM-SHA256" "tls13|-t 8 -3 -m ticket -c TLS_AES_128_GCM_SHA256")
rate() { # port, seconds, hsbench arguments
  # shellcheck disable=SC2086 # the arguments are a list of words
  taskset -c 1 "$B/hsbench" -p "$1" -d "$2" $3 | grep -o 'rate=[0-9.]*' | cut -d= -f2
}
for _ in 1 2 3 4; do
  for pool in pt vt; do for c in "${cases[@]}"; do rate "${port[$pool]}" 10 "${c#*|}" >/dev/null; done; done
done
for round in 1 2 3 4 5 6; do
  order="pt vt"; ((round % 2 == 0)) && order="vt pt"
  for pool in $order; do
    for c in "${cases[@]}"; do printf '%s\t%s\t%s\t%s\n' "$round" "$pool" "${c%%|*}" "$(rate "${port[$pool]}" 4 "${c#*|}")"; done
  done
done
