#!/usr/bin/env python3
"""One status line of a running sensor-rollup every few seconds, from its metrics and REST API.

    dev/lib/quickstart/status.py http://127.0.0.1:8080 [interval-seconds] [seconds-to-run, 0 = until killed]
"""
import json
import sys
import time
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


def metrics(base):
    """Sum of every series per metric name (partition tags summed); sink series also kept as name{sink}."""
    sums = {}
    for line in fetch(base + "/q/metrics").splitlines():
        if not line or line.startswith("#"):
            continue
        name_part, _, value = line.rpartition(" ")
        name = name_part.split("{", 1)[0]
        try:
            v = float(value)
        except ValueError:
            continue
        if v == v:  # not NaN
            sums[name] = sums.get(name, 0.0) + v
            if 'sink="' in name_part:
                sink = name_part.split('sink="', 1)[1].split('"', 1)[0]
                sums[name + "/" + sink] = sums.get(name + "/" + sink, 0.0) + v
    return sums


def rows_written(m):
    per_sink = {k.split("/", 1)[1]: v for k, v in m.items() if k.startswith("rollup_sink_rows_written_total/")}
    return " ".join("%s %d" % (sink, n) for sink, n in sorted(per_sink.items())) or "0"


def latest_checkpoint(base):
    latest = None
    for p in json.loads(fetch(base + "/api/checkpoints")):
        c = p.get("latest")
        if c and c["status"] == "COMPLETED" and (latest is None or c["time"] > latest["time"]):
            latest = c
    return latest


def readiness(base):
    try:
        return json.loads(fetch(base + "/q/health/ready"))["status"]
    except urllib.error.HTTPError as e:
        down = [c["name"] for c in json.loads(e.read().decode())["checks"] if c["status"] != "UP"]
        return "DOWN(" + ",".join(down) + ")"


def human_bytes(n):
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%.0f %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1024.0


def main():
    base = sys.argv[1].rstrip("/")
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 5
    run_for = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    started = time.time()
    before, before_t = None, None
    while run_for == 0 or time.time() - started < run_for:
        try:
            m, now = metrics(base), time.time()
            c = latest_checkpoint(base)
            ready = readiness(base)
        except Exception as e:  # the service restarting or gone: say so, keep going
            print(time.strftime("%H:%M:%S"), " no answer:", e, flush=True)
            time.sleep(interval)
            continue
        rate = 0.0
        if before is not None:
            rate = (m.get("rollup_readings_received_total", 0) - before.get("rollup_readings_received_total", 0)) / (now - before_t)
        checkpoint = ("#%d p%d %d ms %s" % (c["id"], c["partition"], c["durationMillis"], human_bytes(c["bytesUploaded"]))
                      if c else "none yet")
        print("%s  in %7.0f/s  open windows %6d  rows written %s  outbox %d  checkpoint %s  backlog %d  dlq %d  ready %s" % (
            time.strftime("%H:%M:%S"), rate, m.get("rollup_windows_open", 0),
            rows_written(m), m.get("rollup_outbox_rows", 0), checkpoint,
            m.get("rollup_source_backlog_messages", 0), m.get("rollup_dead_letters_total", 0), ready), flush=True)
        before, before_t = m, now
        time.sleep(interval)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
