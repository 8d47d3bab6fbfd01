#!/usr/bin/env python3
"""Runs a command (`sluice run`) and prints wall time, CPU time and peak RSS per stage, for
bench/loop.sh.

Stages are read from the run's log on stderr: a stage starts at its "▶ title" line and ends
at its "<mark> <stage> <status> in <time>" line. At each start the process's peak-RSS
counter is reset (writing 5 to /proc/PID/clear_refs), so VmHWM read at the stage's end is
that stage's own peak. A stage's CPU seconds are the process's user + system time (with
its waited-for children's, from /proc/PID/stat) at its end less at its start; the total is
the whole process's (from wait4). Stages that `sluice run` does side by side log when they
are joined, so their time and memory count in the stage they ran beside; the run's peak is
also sampled (VmRSS every 10 ms, never reset).

Usage: loop_stages.py COMMAND...   (run in the directory the command needs)
"""
import os
import re
import subprocess
import sys
import threading
import time

FINISH = re.compile(r"^\S+ (\w+) (passed|failed|error) in ")


def cpu_seconds(pid):
    """User + system time of the process and its waited-for children."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


started = time.monotonic()
process = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
sampled_peak_kb = 0
sampling = True


def sample_rss():
    global sampled_peak_kb
    while sampling:
        try:
            sampled_peak_kb = max(sampled_peak_kb, status_kb(process.pid, "VmRSS"))
        except OSError:
            return
        time.sleep(0.01)


threading.Thread(target=sample_rss, daemon=True).start()
rows = []
stage_start = None
cpu_start = 0.0
# Wall time outside every stage: before the first, between two, after the last.
first_start = last_end = None
last_name = None
between = 0.0
gaps = []  # (stage before, stage after, seconds) for the larger gaps
for line in process.stderr:
    now = time.monotonic()
    sys.stderr.write(line)
    try:
        if line.startswith("▶"):
            if first_start is None:
                first_start = now
            elif last_end is not None:
                between += now - last_end
                gaps.append((last_name, line[1:].strip()[:40], now - last_end))
            stage_start = now
            cpu_start = cpu_seconds(process.pid)
            with open(f"/proc/{process.pid}/clear_refs", "w") as refs:
                refs.write("5")
        elif (match := FINISH.match(line)) and stage_start is not None:
            rows.append((match.group(1), match.group(2), now - stage_start, cpu_seconds(process.pid) - cpu_start,
                         status_kb(process.pid, "VmHWM") / 1024))
            stage_start = None
            last_end = now
            last_name = match.group(1)
    except OSError:
        pass  # the process ended between the line and the read
sampling = False
_, status, usage = os.wait4(process.pid, 0)
wall = time.monotonic() - started
print(f"{'stage':10} {'status':7} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
for name, outcome, seconds, cpu, peak in rows:
    print(f"{name:10} {outcome:7} {seconds:8.2f} {cpu:8.2f} {peak:12.0f}")
# Resetting the counter resets ru_maxrss too: the run's peak is the largest stage peak.
peak = max([usage.ru_maxrss / 1024, sampled_peak_kb / 1024] + [row[4] for row in rows])
print(f"{'total':10} {'exit ' + str(os.waitstatus_to_exitcode(status)):7} {wall:8.2f} {usage.ru_utime + usage.ru_stime:8.2f} {peak:12.0f}"
      f"   (user {usage.ru_utime:.2f} s, sys {usage.ru_stime:.2f} s)")
if first_start is not None and last_end is not None:
    print(f"outside stages: {first_start - started:.2f} s before the first, {between:.2f} s between, "
          f"{started + wall - last_end:.2f} s after the last")
    for before, after, seconds in gaps:
        if seconds >= 0.05:
            print(f"  {seconds:.2f} s after {before}, before \"{after}\"")
