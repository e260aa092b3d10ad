#!/usr/bin/env bash
# dev/bench drain [--readings 2000000] [--rounds 3] [--profile]: a backlog of READINGS from the shared generator
# (../shared/bench/gen_readings.py: 10 000 devices, every 500th line malformed) on a fresh 8-partition topic,
# drained in turn by a plain consumer (counts and acknowledges, nothing else) and by the packaged service
# (to ClickHouse), ROUNDS times each, each with a fresh subscription. A never-acknowledging subscription keeps
# the backlog for every run. Each run counts from its first reading taken to its last: readings/s, its
# process's CPU seconds per million readings and the broker's over the same interval (from /proc). Ends with
# medians, the ratio of the rates and the service's CPU per million beyond the plain consumer's. Needs
# dev/services up and ./mvnw package. --profile records the first service run's drain with JFR and prints its hottest
# frames (self time). Runs from dev/bench with $cp set to the test classpath.
set -euo pipefail
readings=2000000
rounds=3
profile=""
while [ $# -gt 0 ]; do
  case "$1" in
    --readings) readings=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --profile) profile=1; shift ;;
    [0-9]*) readings=$1; shift ;;
    *) echo "drain: unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck disable=SC1091
set -a; . .local/services.env; set +a
broker=$(cat .local/run/pulsar.pid)
id=drain-$(date +%s)
topic=persistent://public/default/$id
admin=$PULSAR_ADMIN_URL/admin/v2/persistent/public/default/$id
curl -sf -X PUT -H 'Content-Type: application/json' -d 8 "$admin/partitions"
curl -sf -X PUT -H 'Content-Type: application/json' -d '{"ledgerId":-1,"entryId":-1,"partitionIndex":-1}' \
  "$admin/subscription/drain-keeper"
echo "drain: publishing $readings readings of the shared generator to $topic"
python3 ../shared/bench/gen_readings.py --devices 10000 --rate 30000 --count "$readings" --bad-every 500 \
  | java -cp "$cp" io.sensorrollup.bench.CorpusPublisher "$PULSAR_SERVICE_URL" "$topic"
published=$(curl -s "$admin/partitioned-stats" \
  | python3 -c 'import json,sys; print(sum(p.get("msgInCounter",0) for p in json.load(sys.stdin)["partitions"].values()))')
echo "drain: $published messages on the topic"

cpu() { awk '{ sub(/.*\) /, ""); split($0, f, " "); printf "%.2f", (f[12] + f[13]) / 100 }' "/proc/$1/stat"; }
results=target/$id.results
: >"$results"
port=18999
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null || true' EXIT

service_run() {
  local run=$1 log=target/$id-service-$1.log recording=""
  [ -n "$profile" ] && [ "$run" = 1 ] && recording=$PWD/target/$id.jfr
  dev/lib/run-service -Xmx1g -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port -Drollup.source.topic="$topic" \
    -Drollup.source.subscription="service-$run" -Drollup.checkpoint.store="s3://sensor-rollup/$id-$run" \
    -Drollup.state.dir="$PWD/target/$id/state-$run" -Drollup.sink=clickhouse \
    -Drollup.clickhouse.database="${id//-/_}_$run" -Drollup.checkpoint.interval=10s >"$log" 2>&1 &
  pid=$!
  local received=0 first="" cpu0 broker0
  received() { curl -s "http://127.0.0.1:$port/q/metrics" | awk '/^rollup_readings_received_total/ {s+=$2} END {printf "%d", s}'; }
  until [ -n "$first" ]; do
    kill -0 $pid 2>/dev/null || { echo "drain: the service exited, see $log" >&2; exit 1; }
    received=$(received 2>/dev/null || echo 0)
    if [ "${received:-0}" -gt 0 ]; then
      first=$(date +%s.%N); cpu0=$(cpu $pid); broker0=$(cpu "$broker")
      [ -z "$recording" ] || jcmd $pid JFR.start name=drain settings=profile >/dev/null
    fi
    sleep 0.1
  done
  while [ "$received" -lt "$published" ]; do
    sleep 0.25
    received=$(received)
  done
  local done_at cpu1 broker1
  done_at=$(date +%s.%N); cpu1=$(cpu $pid); broker1=$(cpu "$broker")
  [ -z "$recording" ] || jcmd $pid JFR.dump name=drain filename="$recording" >/dev/null
  kill $pid; wait $pid 2>/dev/null || true; pid=""
  python3 - "$first" "$done_at" "$published" "$cpu0" "$cpu1" "$broker0" "$broker1" <<'PY' | tee -a "$results"
import sys
first, done, n, c0, c1, b0, b1 = map(float, sys.argv[1:])
s = done - first
print("RESULT service messages=%d seconds=%.2f per_s=%.0f cpu_s=%.2f broker_cpu_s=%.2f" % (n, s, n / s, c1 - c0, b1 - b0))
PY
}

for run in $(seq 1 "$rounds"); do
  echo "drain: round $run of $rounds"
  java -cp "$cp" io.sensorrollup.bench.RawConsumerBench "$PULSAR_SERVICE_URL" "$topic" "$published" "raw-$run" "$broker" \
    | grep '^RESULT' | tee -a "$results"
  service_run "$run"
done

python3 - "$results" <<'PY'
import statistics, sys
runs = {"raw": [], "service": []}
for line in open(sys.argv[1]):
    parts = line.split()
    fields = dict(p.split("=") for p in parts[2:])
    runs[parts[1]].append({k: float(v) for k, v in fields.items()})
print("%-8s %5s %12s %14s %16s" % ("drain", "runs", "readings/s", "CPU s per M", "broker CPU s/M"))
med = {}
for name, rs in runs.items():
    rate = statistics.median(r["per_s"] for r in rs)
    cpu = statistics.median(r["cpu_s"] / r["messages"] * 1e6 for r in rs)
    broker = statistics.median(r["broker_cpu_s"] / r["messages"] * 1e6 for r in rs)
    med[name] = (rate, cpu)
    print("%-8s %5d %12.0f %14.2f %16.2f" % (name, len(rs), rate, cpu, broker))
ratios = [s["per_s"] / r["per_s"] for r, s in zip(runs["raw"], runs["service"])]
print("ratio service/plain consumer: median %.2f (pairs: %s)" % (statistics.median(ratios), " ".join("%.2f" % x for x in ratios)))
print("service CPU beyond the plain consumer's: %.2f s per million readings (compare dev/bench engine's)" % (med["service"][1] - med["raw"][1]))
PY
if [ -n "$profile" ]; then
  echo "drain: hottest frames of the first service run (self time, JFR execution samples)"
  jfr print --events jdk.ExecutionSample "target/$id.jfr" | python3 -c '
import collections, re, sys
top, frame_next, n = collections.Counter(), False, 0
for line in sys.stdin:
    if "stackTrace = [" in line:
        frame_next = True
    elif frame_next:
        top[re.sub(r"\s+line:.*", "", line.strip())] += 1
        n += 1
        frame_next = False
for frame, count in top.most_common(12):
    print("%5.1f %%  %s" % (100.0 * count / n, frame))
'
fi
