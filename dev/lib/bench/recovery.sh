#!/usr/bin/env bash
# dev/bench recovery [--warm-s 30] [--backlog-s 60] [--rate 30000] [--devices 500] [--interval 10s] [--windows 1m,5m,1h]
#
# Recovery of the packaged service after kill -9, on the local servers (dev/services up; ./mvnw package first):
# a fresh 8-partition topic; the service runs while the simulator publishes at --rate for --warm-s seconds;
# then the service is killed with SIGKILL and the simulator goes on for --backlog-s seconds (the backlog);
# then the service starts again on the same state directory and drains it. Prints the checkpoint durations
# while it ran (from its log lines), the restore of each partition, the time from launch to ready and to
# every partition RUNNING, and the drain rate. Runs from dev/bench with $cp set to the test classpath.
set -euo pipefail
warm=30 backlog=60 rate=30000 devices=500 interval=10s windows=1m,5m,1h
while [ $# -gt 0 ]; do
  case "$1" in
    --warm-s) warm=$2 ;;
    --backlog-s) backlog=$2 ;;
    --rate) rate=$2 ;;
    --devices) devices=$2 ;;
    --interval) interval=$2 ;;
    --windows) windows=$2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -f target/quarkus-app/quarkus-run.jar ] || { echo "recovery: ./mvnw package first" >&2; exit 2; }
# shellcheck disable=SC1091
set -a; . .local/services.env; set +a
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
id=recovery-$(date +%s)
topic=persistent://public/default/$id
admin=$PULSAR_ADMIN_URL/admin/v2/persistent/public/default/$id
curl -sf -X PUT -H 'Content-Type: application/json' -d 8 "$admin/partitions"
port=18998
mkdir -p "target/$id"

pid=""
sim=""
cleanup() {
  [ -n "$sim" ] && kill "$sim" 2>/dev/null || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_service() { # $1: log file; sets pid and launched (epoch seconds)
  launched=$(date +%s.%N)
  dev/lib/run-service -Xmx1g -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port -Drollup.source.topic="$topic" \
    -Drollup.checkpoint.store="s3://sensor-rollup/$id" -Drollup.state.dir="$PWD/target/$id/state" -Drollup.sink=clickhouse \
    -Drollup.clickhouse.database="${id//-/_}" -Drollup.checkpoint.interval="$interval" -Drollup.windows="$windows" \
    -Dmp.messaging.incoming.readings.consumerName=recovery-pod >"$1" 2>&1 &
  pid=$!
}
await_ready() { # prints seconds from launch to ready
  until curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "recovery: the service exited; see its log" >&2; exit 1; }
    sleep 0.05
  done
  python3 -c "import sys,time; print('%.2f' % (time.time() - float(sys.argv[1])))" "$launched"
}
received() { curl -s "http://127.0.0.1:$port/q/metrics" | awk '/^rollup_readings_received_total/ {s+=$2} END {printf "%d", s}'; }
published() {
  curl -s "$admin/partitioned-stats" | python3 -c 'import json,sys; print(sum(p.get("msgInCounter",0) for p in json.load(sys.stdin)["partitions"].values()))'
}

first_log=target/$id/first.log
second_log=target/$id/second.log
start_service "$first_log"
echo "recovery: first start ready after $(await_ready) s; publishing $rate readings/s for $((warm + backlog)) s, kill -9 after $warm s"
dev/simulate --topic "$topic" --rate "$rate" --devices "$devices" --seconds $((warm + backlog)) --jitter-ms 2000 \
  >"target/$id/simulate.log" 2>&1 &
sim=$!
sleep "$warm"
before_kill=$(received)
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
at_kill=$(published)
echo "recovery: killed the service (kill -9) after it took $before_kill readings; $at_kill published so far"
wait "$sim"; sim=""
tail -1 "target/$id/simulate.log"
total=$(published)
echo "recovery: $((total - at_kill)) readings published while it was down ($total on the topic)"

start_service "$second_log"
ready_s=$(await_ready)
first_seen="" last_n=0 last_change=$(date +%s.%N)
while :; do
  n=$(received)
  now=$(date +%s.%N)
  if [ "$n" -gt "$last_n" ]; then
    [ -z "$first_seen" ] && first_seen=$now
    last_n=$n last_change=$now
  fi
  # drained: nothing new for 3 s after readings started flowing
  if [ -n "$first_seen" ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) - float(sys.argv[2]) > 3 else 1)" "$now" "$last_change"; then
    break
  fi
  sleep 0.2
done
sleep "${interval%s}"; sleep 2 # one more checkpoint acknowledges the drained backlog
backlog_left=$(curl -s "$admin/partitioned-stats" | python3 -c 'import json,sys; print(sum(s.get("msgBacklog",0) for p in json.load(sys.stdin)["partitions"].values() for s in p.get("subscriptions",{}).values()))')

python3 - "$first_log" "$second_log" "$launched" "$ready_s" "$first_seen" "$last_change" "$last_n" "$backlog_left" <<'PY'
import datetime, re, sys
first_log, second_log, launched, ready_s, first_seen, last_change, drained, backlog_left = sys.argv[1:]
launched, first_seen, last_change = float(launched), float(first_seen), float(last_change)

def at(line):
    stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=datetime.timezone.utc)
    return stamp.timestamp()

def ms(text):
    value, unit = text.split()
    return float(value) * (1000 if unit == "s" else 1)

def checkpoints(path):
    return [ms(m.group(1)) for m in (re.search(r"Completed checkpoint \d+ for partition \d+ in ([\d.]+ m?s)", l)
            for l in open(path)) if m]

def summary(values):
    values = sorted(values)
    if not values:
        return "none"
    p99 = values[max(0, min(len(values) - 1, -(-len(values) * 99 // 100) - 1))]
    return "n=%d mean=%.0f ms p50=%.0f ms p99=%.0f ms max=%.0f ms" % (
        len(values), sum(values) / len(values), values[len(values) // 2], p99, values[-1])

print("RESULT checkpoint while running (first start):", summary(checkpoints(first_log)))
print("RESULT checkpoint while draining (second start):", summary(checkpoints(second_log)))
running, restores = [], []
for line in open(second_log):
    if re.search(r"Partition \d+ switched to RUNNING", line):
        running.append(at(line))
    m = re.search(r"Partition (\d+) switched to RUNNING: restored from checkpoint (\d+) \(.*\) in ([\d.]+ m?s), of which", line)
    if m:
        restores.append(ms(m.group(3)))
    m = re.search(r"Restored partition (\d+) from checkpoint (\d+) .* downloaded (\d+ files?) \(([^)]*)\), reused (\d+)", line)
    if m:
        print("restore: partition %s from checkpoint %s, downloaded %s (%s), reused %s local" % m.groups())
print("RESULT restore per partition (download, open, claim): %s" % summary(restores))
print("RESULT ready_after_launch_s=%s all_partitions_running_after_launch_s=%.2f" % (
    ready_s, max(running) - launched if running else float("nan")))
# from the first partition RUNNING again (processing starts there; the readiness check may answer before it)
start = min(running) if running else first_seen
seconds = last_change - start
print("RESULT drained readings=%s seconds=%.1f per_s=%.0f backlog_left_after_next_checkpoint=%s" % (
    drained, seconds, int(drained) / seconds if seconds > 0 else float("nan"), backlog_left))
PY
