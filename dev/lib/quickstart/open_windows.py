#!/usr/bin/env python3
"""The open windows of a few devices with their values so far, from a running sensor-rollup's state
(GET /api/devices/{id}/windows): what a short quickstart shows when no window has closed yet.

    dev/lib/quickstart/open_windows.py http://127.0.0.1:8080 sensor_00000 [sensor_00001 ...]
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

COLUMNS = ("device_id", "window_start", "state", "n", "temp_avg", "hum_avg", "co2_max", "batt_min", "version")


def windows(base, device):
    url = base + "/api/devices/" + urllib.parse.quote(device, safe="") + "/windows"
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.loads(r.read().decode())["windows"]
    except urllib.error.HTTPError as e:
        if e.code == 404:  # no window of that device in state
            return []
        raise


def metric(w, name, stat, digits):
    m = w["metrics"].get(name)
    return "" if m is None else "%.*f" % (digits, m[stat])


def main():
    base = sys.argv[1].rstrip("/")
    rows = []
    for device in sys.argv[2:]:
        for w in sorted(windows(base, device), key=lambda w: w["window_start"]):
            rows.append((device, w["window_start"], w["state"], str(w["message_count"]),
                         metric(w, "temperature", "avg", 2), metric(w, "humidity", "avg", 1),
                         metric(w, "co2", "max", 0), metric(w, "battery", "min", 1), str(w["version"])))
    if not rows:
        print("  (no window of these devices in state)")
        return
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    print("  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(COLUMNS)))
    for r in rows:
        print("  " + "  ".join(v.ljust(widths[i]) for i, v in enumerate(r)))


if __name__ == "__main__":
    main()
