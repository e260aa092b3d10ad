#!/usr/bin/env bash
# dev/bench drain [--readings 2000000] [--warmup 500000] [--rounds 3] [--profile]: a backlog of WARMUP + READINGS
# from the shared generator (../shared/bench/gen_readings.py: 10 000 devices, every 500th line malformed) on a
# fresh 8-partition topic, drained in turn by a plain consumer (counts and acknowledges, nothing else) and by the
# packaged service (to ClickHouse), ROUNDS times each, each with a fresh subscription. A never-acknowledging
# subscription keeps the backlog for every run. Each run takes the first WARMUP readings uncounted (start-up, and
# the JIT's first pass over the path), then counts READINGS to the last: readings/s, its process's CPU seconds per
# million readings and the broker's over the same interval (from /proc), and the part of the process's spent by
# its JIT compiler threads. On two busy cores C2 is still compiling the service's path after 1.5 M readings (3 to
# 4 CPU s per million then), a cost a longer-running pod amortizes, so the summary shows the CPU without it too.
# Ends with medians, the ratio of the rates and the service's CPU per million beyond the plain consumer's. Needs
# dev/services up and ./mvnw package. --profile records the first service run's drain with JFR and prints its
# hottest frames (self time). Per service run it also prints the CPU per million readings by thread. Runs from
# dev/bench with $cp set to the test classpath.
set -euo pipefail
readings=2000000
warmup=500000
rounds=3
profile=""
while [ $# -gt 0 ]; do
  case "$1" in
    --readings) readings=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
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
echo "drain: publishing $warmup + $readings readings of the shared generator to $topic"
python3 ../shared/bench/gen_readings.py --devices 10000 --rate 30000 --count "$((warmup + readings))" --bad-every 500 \
  | java -cp "$cp" io.sensorrollup.bench.CorpusPublisher "$PULSAR_SERVICE_URL" "$topic"
published=$(curl -s "$admin/partitioned-stats" \
  | python3 -c 'import json,sys; print(sum(p.get("msgInCounter",0) for p in json.load(sys.stdin)["partitions"].values()))')
echo "drain: $published messages on the topic"

cpu() { awk '{ sub(/.*\) /, ""); split($0, f, " "); printf "%.2f", (f[12] + f[13]) / 100 }' "/proc/$1/stat"; }
# every thread of process $1 as "tid ticks name", the name with its numbers replaced by # (one line per thread)
threads() {
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" '{ n = $0; sub(/^[^(]*\(/, "", n); sub(/\) .*/, "", n); gsub(/[0-9]+/, "#", n); gsub(/ /, "_", n)
      sub(/.*\) /, ""); split($0, f, " "); print tid, f[12] + f[13], n }' "$t/stat" 2>/dev/null || true
  done
}
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
    if [ "${received:-0}" -gt 0 ] && [ "${received:-0}" -ge "$warmup" ]; then
      first=$(date +%s.%N); cpu0=$(cpu $pid); broker0=$(cpu "$broker"); threads $pid >"$log.threads0"
      [ -z "$recording" ] || jcmd $pid JFR.start name=drain settings=profile >/dev/null
    fi
    sleep 0.1
  done
  # a scrape costs the service about 15 ms of CPU: sample once a second and interpolate the moment the count
  # reached the backlog (the rate is steady), rather than scrape four times as often
  local taken0=$received prev now
  prev="$first $received $cpu0 $broker0"
  while :; do
    sleep 1
    now="$(date +%s.%N) $(received) $(cpu $pid) $(cpu "$broker")"
    [ "$(echo "$now" | cut -d' ' -f2)" -lt "$published" ] || break
    prev=$now
  done
  threads $pid >"$log.threads1"
  [ -z "$recording" ] || jcmd $pid JFR.dump name=drain filename="$recording" >/dev/null
  kill $pid; wait $pid 2>/dev/null || true; pid=""
  # the CPU by thread between the two samples: its summary line, then the JIT compiler threads' seconds
  local by_thread
  by_thread=$(python3 - "$log.threads0" "$log.threads1" "$published" "$taken0" <<'PY'
import collections, sys
before = {l.split()[0]: int(float(l.split()[1])) for l in open(sys.argv[1]) if l.strip()}
groups = collections.Counter()
for line in open(sys.argv[2]):
    tid, ticks, name = line.split()
    groups[name] += int(float(ticks)) - before.get(tid, 0)
m = (int(sys.argv[3]) - int(sys.argv[4])) / 1e6
print("  CPU s per million readings by thread (threads alive at the end): " + ", ".join(
    "%s %.2f" % (name, ticks / 100 / m) for name, ticks in groups.most_common(8) if ticks > 0))
print("%.2f" % (sum(t for name, t in groups.items() if name.startswith("C#_CompilerThre")) / 100))
PY
)
  python3 - "$first" "$cpu0" "$broker0" "$taken0" "$published" $prev $now "${by_thread##*$'\n'}" <<'PY' | tee -a "$results"
import sys
first, c0, b0, taken0, n, t1, r1, c1, b1, t2, r2, c2, b2, jit = map(float, sys.argv[1:])
f = (n - r1) / (r2 - r1) if r2 > r1 else 1.0  # where between the last two samples the count reached n
done, cpu, broker = t1 + f * (t2 - t1), c1 + f * (c2 - c1), b1 + f * (b2 - b1)
m, s = n - taken0, done - first  # what was taken before the first sample is not in the interval
print("RESULT service messages=%d seconds=%.2f per_s=%.0f cpu_s=%.2f broker_cpu_s=%.2f jit_cpu_s=%.2f" % (m, s, m / s, cpu - c0, broker - b0, jit))
PY
  echo "${by_thread%$'\n'*}"
}

for run in $(seq 1 "$rounds"); do
  echo "drain: round $run of $rounds"
  java -cp "$cp" io.sensorrollup.bench.RawConsumerBench "$PULSAR_SERVICE_URL" "$topic" "$published" "raw-$run" "$broker" "$warmup" \
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
print("%-8s %5s %12s %14s %16s %22s" % ("drain", "runs", "readings/s", "CPU s per M", "broker CPU s/M", "CPU s/M without JIT"))
med = {}
for name, rs in runs.items():
    rate = statistics.median(r["per_s"] for r in rs)
    cpu = statistics.median(r["cpu_s"] / r["messages"] * 1e6 for r in rs)
    broker = statistics.median(r["broker_cpu_s"] / r["messages"] * 1e6 for r in rs)
    steady = statistics.median((r["cpu_s"] - r["jit_cpu_s"]) / r["messages"] * 1e6 for r in rs)
    med[name] = (rate, cpu, steady)
    print("%-8s %5d %12.0f %14.2f %16.2f %22.2f" % (name, len(rs), rate, cpu, broker, steady))
ratios = [s["per_s"] / r["per_s"] for r, s in zip(runs["raw"], runs["service"])]
print("ratio service/plain consumer: median %.2f (pairs: %s)" % (statistics.median(ratios), " ".join("%.2f" % x for x in ratios)))
print("service CPU beyond the plain consumer's: %.2f s per million readings, %.2f without the JIT compiler threads"
      " (compare dev/bench engine's)" % (med["service"][1] - med["raw"][1], med["service"][2] - med["raw"][2]))
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
