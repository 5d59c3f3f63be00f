#!/usr/bin/env bash
# Scale target of DESIGN.md §7: 1,000,000 tasks on 10,000 nodes over up to
# 30 simulated days with preemption (bench/large.toml), one replication, in
# under 10 s and under 1 GiB.
#
#   bash bench/large.sh                 # from anywhere in the repository
#   RUNS=3 bash bench/large.sh          # repeat, to see the spread on a busy machine
#   bash bench/large.sh --workers 1     # extra flags go to spotsim run
#
# The binary is built once, so compile time is not counted. spotsim also
# simulates the dedicated-only baseline of the replication (on a second core
# when there is one); both are in the times below. Each run is measured by
# /usr/bin/time -v: wall time, CPU time (user + system) and peak RSS. On a
# shared machine wall time includes time spent waiting for a CPU; the load
# average is printed so that a slow wall time can be read for what it is.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/spotsim" ./cmd/spotsim

for run in $(seq "$RUNS"); do
	echo "== run $run/$RUNS: spotsim run bench/large.toml --reps 1 --format json $* (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
	/usr/bin/time -v "$tmp/spotsim" run bench/large.toml --reps 1 --format json "$@" >"$tmp/out.json" 2>"$tmp/time.txt" || {
		cat "$tmp/time.txt" >&2
		exit 1
	}
	/usr/bin/python3 - "$tmp/out.json" "$tmp/time.txt" <<'PYEOF'
import json, re, sys
out = json.load(open(sys.argv[1]))
tv = open(sys.argv[2]).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", tv).group(1).strip()
el = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in el.split(":")]
wall = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
user, sys_ = float(field("User time (seconds)")), float(field("System time (seconds)"))
rss_mib = int(field("Maximum resident set size (kbytes)")) / 1024
for run in ("scenario", "baseline"):
    s = out[run]
    if s["finished"] == 0:
        print("%-8s UNFINISHED within the horizon (%d run)" % (run, s["unfinished"]))
        continue
    print("%-8s completion %7.1f h (%4.1f d)  cost $%10.0f  preemptions %6.0f  requeued %6.0f  utilisation %.3f" % (
        run, s["completion_time_hours"]["mean"], s["completion_time_hours"]["mean"] / 24, s["cost_usd"]["mean"],
        s["preemptions"]["mean"], s["requeued_tasks"]["mean"], s["utilisation"]["mean"]))
print("wall %.2f s (target < 10 s: %s)   CPU %.2f s (user %.2f + sys %.2f)   peak RSS %.1f MiB (target < 1024 MiB: %s)" % (
    wall, "met" if wall < 10 else "MISSED", user + sys_, user, sys_, rss_mib, "met" if rss_mib < 1024 else "MISSED"))
PYEOF
done
