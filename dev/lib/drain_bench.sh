#!/usr/bin/env bash
# dev/bench drain [READINGS]: a backlog of READINGS (default 1 500 000: 50 s at the seed's 30 000/s) on a
# fresh 8-partition topic, drained once by a plain consumer (the baseline) and once by the packaged service
# writing to ClickHouse; prints both rates and the service's time to ready. Needs dev/services up and
# ./mvnw package. Runs from dev/bench with $cp set to the test classpath.
set -euo pipefail
readings=${1:-1500000}
# shellcheck disable=SC1091
set -a; . .local/services.env; set +a
id=drain-$(date +%s)
topic=persistent://public/default/$id
curl -sf -X PUT -H 'Content-Type: application/json' -d 8 "$PULSAR_ADMIN_URL/admin/v2/persistent/public/default/$id/partitions"
rate=150000
seconds=$(( (readings + rate - 1) / rate ))
echo "drain: publishing $readings readings to $topic"
dev/simulate --topic "$topic" --rate "$rate" --seconds "$seconds" | tail -1
published=$(curl -s "$PULSAR_ADMIN_URL/admin/v2/persistent/public/default/$id/partitioned-stats" \
  | python3 -c 'import json,sys; print(sum(p.get("msgInCounter",0) for p in json.load(sys.stdin)["partitions"].values()))')
echo "drain: $published messages on the topic"

java -cp "$cp" io.sensorrollup.bench.RawConsumerBench "$PULSAR_SERVICE_URL" "$topic" "$published"

port=18999
log=target/$id.log
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
start=$(date +%s.%N)
dev/lib/run-service -Xmx1g -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port -Drollup.source.topic="$topic" \
  -Drollup.checkpoint.store="s3://sensor-rollup/$id" -Drollup.state.dir="$PWD/target/$id/state" -Drollup.sink=clickhouse \
  -Drollup.clickhouse.database="${id//-/_}" -Drollup.checkpoint.interval=10s >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; do sleep 0.2; done
ready=$(date +%s.%N)
received() { curl -s "http://127.0.0.1:$port/q/metrics" | awk '/^rollup_readings_received_total/ {s+=$2} END {printf "%d", s}'; }
first=""
while :; do
  n=$(received)
  if [ -z "$first" ] && [ "$n" -gt 0 ]; then first=$(date +%s.%N); fi
  [ "$n" -ge "$published" ] && break
  sleep 0.5
done
done_at=$(date +%s.%N)
python3 - "$start" "$ready" "$first" "$done_at" "$published" <<'PY'
import sys
start, ready, first, done, n = map(float, sys.argv[1:])
print("RESULT service ready_after_s=%.1f messages=%d seconds=%.2f per_s=%.0f" % (ready - start, n, done - first, n / (done - first)))
PY
