#!/usr/bin/env bash
# linger.ms A/B: Kafka Streams' producer default (100 ms) against 5 ms (the plain producer's default since Kafka 4.0).
# Usage: linger-ab.sh alos|eos. As it ran on 2026-12-03 (the at-least-once part without its final, empty
# exactly-once loop, which that run also had and which stalled on the cluster's first transactions), with this
# machine's paths: /tmp/latclone was a clone of the commit before the change.
set -uo pipefail
[[ "${1:-}" == alos || "${1:-}" == eos ]] || { echo "usage: $0 alos|eos" >&2; exit 2; }
OUT=/tmp/linger-$1; mkdir -p $OUT; cd /tmp/latclone
cp perf/reports/2026-12-03-latency/client.properties perf/reports/2026-12-03-latency/order-event.json $OUT/
export STACK_RUN_DIR=/tmp/linger-$1-stack KAFKA_PORT=29192 KAFKA_CONTROLLER_PORT=29193 KAFKA_SASL_PORT=29194 CONNECT_PORT=28083 MARIADB_PORT=23307
start_enricher() { # guarantee app port linger(or '')
  sed -e "s/processing.guarantee: exactly_once_v2/processing.guarantee: $1/" -e "s/^applicationId: .*/applicationId: $2/" \
      -e "s#state.dir: .*#state.dir: $STACK_RUN_DIR/enricher/state-$2#" "$STACK_RUN_DIR/enricher/demo.yaml" > "$OUT/$2.yaml"
  if [[ -n "$4" ]]; then sed -i "s/^  processing.guarantee: .*/&\n  linger.ms: $4/" "$OUT/$2.yaml"; fi
  java -Xmx512m -jar enricher/target/enricher-0.1.0-SNAPSHOT.jar run --config "$OUT/$2.yaml" --http-port "$3" > "$OUT/$2.log" 2>&1 &
  echo $! > "$OUT/$2.pid"
  for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$3/ready" | grep -q '"ready":true' && return 0; sleep 1; done
  return 1
}
load() { local name=$1; shift
  perf/load --client-config "$OUT/client.properties" --enricher-config "$OUT/$APP.yaml" --enricher-url "http://127.0.0.1:$PORT" \
    --template "$OUT/order-event.json" --out "$OUT/$name" --warmup-seconds 10 "$@" > "$OUT/$name.log" 2>&1
  echo "$name: $(grep -m1 -E '^\| [0-9]' "$OUT/$name/report.md")"; }
stop_enricher() { kill "$(cat $OUT/$APP.pid)"; for i in $(seq 1 40); do kill -0 "$(cat $OUT/$APP.pid)" 2>/dev/null || break; sleep 1; done; }
rm -rf "$STACK_RUN_DIR"
ops/demo --keep > "$OUT/demo.log" 2>&1; tail -2 "$OUT/demo.log"
[[ -f $STACK_RUN_DIR/enricher.pid ]] && kill "$(cat $STACK_RUN_DIR/enricher.pid)"; sleep 5
perf/load --help > /dev/null 2>&1   # builds perf now, not in the middle of a measurement
case "$1" in
alos)
for round in 1 2 3; do
  order="default 5"; [[ $((round % 2)) == 0 ]] && order="5 default"
  for linger in $order; do
    L=$([[ $linger == default ]] && echo "" || echo $linger)
    APP=alos-$linger-$round PORT=18084; start_enricher at_least_once $APP $PORT "$L" || echo "$APP not ready"
    sleep 20   # settle after ready (the first load step of the earlier run met a start-up stall)
    load $APP-8k --rate 8000 --duration 30
    load $APP-2k --rate 2000 --duration 30
    stop_enricher
  done
done
;;
eos)
APP=eos-warm PORT=18087; start_enricher exactly_once_v2 $APP $PORT "" || echo "$APP not ready"
load $APP-2k --rate 2000 --duration 20   # the cluster's first transactions (creates __transaction_state): not counted
stop_enricher
for run in default-1 5-1 5-2 default-2; do
  linger=${run%-*}; L=$([[ $linger == default ]] && echo "" || echo $linger)
  APP=eos-$run PORT=18085; start_enricher exactly_once_v2 $APP $PORT "$L" || echo "$APP not ready"
  sleep 20
  load $APP-2k --rate 2000 --duration 30
  load $APP-8k --rate 8000 --duration 30
  stop_enricher
done
;;
esac
ops/stack down > "$OUT/down.log" 2>&1
echo all-done
