#!/usr/bin/env bash
# Hold model: spotsim's engine (BenchmarkHold in sim/bench_test.go) against
# the same model in SimPy (bench/hold_simpy.py), on this machine, now.
#
#   bash bench/hold.sh            # from the repository root
#   COUNT=5 EVENTS=2000000 bash bench/hold.sh
#
# Prints the median of COUNT Go runs and one SimPy run per style, events/s over
# wall time and over CPU time (the second is the one to trust on a shared,
# busy machine), and the ratios. Go's figure is one core: the benchmark runs
# with -cpu 1 and the engine is single-threaded.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-5}
EVENTS=${EVENTS:-1000000}
PY=/usr/bin/python3

median() { sort -g | awk '{a[NR]=$1} END {printf "%.0f\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== spotsim: go test -run '^\$' -bench '^BenchmarkHold\$' -cpu 1 -count $COUNT ./sim/"
out=$(go test -run '^$' -bench '^BenchmarkHold$' -cpu 1 -count "$COUNT" -benchtime 1s ./sim/)
echo "$out" | grep '^BenchmarkHold'
metric() { echo "$out" | awk -v m="$1" '/^BenchmarkHold/ {for (i = 2; i < NF; i++) if ($(i+1) == m) print $i}' | median; }
go_wall=$(metric events/s)
go_cpu=$(metric cpu-events/s)
go_allocs=$(metric allocs/op)
[ -n "$go_cpu" ] || go_cpu=$go_wall

if ! "$PY" -c 'import simpy' 2>/dev/null; then
	echo "SimPy is not installed for $PY (Debian: apt-get install python3-simpy3; .ci/run installs it): skipping the peer."
	awk -v w="$go_wall" -v c="$go_cpu" -v a="$go_allocs" 'BEGIN {printf "spotsim hold: %.2fM events/s wall, %.2fM events/CPU-s, %s allocs/op\n", w/1e6, c/1e6, a}'
	exit 0
fi

py_process=$("$PY" bench/hold_simpy.py --style process --events "$EVENTS")
py_callback=$("$PY" bench/hold_simpy.py --style callback --events "$EVENTS")
echo "== SimPy: $PY bench/hold_simpy.py --style process|callback --events $EVENTS"

GO_WALL=$go_wall GO_CPU=$go_cpu GO_ALLOCS=$go_allocs COUNT=$COUNT \
PY_PROCESS=$py_process PY_CALLBACK=$py_callback "$PY" - <<'PYEOF'
import json, os
gw, gc = float(os.environ["GO_WALL"]), float(os.environ["GO_CPU"])
rows = [("spotsim (median of %s runs)" % os.environ["COUNT"], gw, gc)]
peers = {}
for style in ("process", "callback"):
    j = json.loads(os.environ["PY_" + style.upper()])
    peers[style] = j
    rows.append(("%s, %s style" % (j["peer"], style), j["events_per_s"], j["cpu_events_per_s"]))
print()
print("%-36s %14s %16s" % ("hold model, 10,000 pending", "events/s", "events/CPU-s"))
for name, w, c in rows:
    print("%-36s %13.3fM %15.3fM" % (name, w / 1e6, c / 1e6))
print("spotsim allocs/op: %s" % os.environ["GO_ALLOCS"])
for style, j in peers.items():
    print("ratio spotsim / SimPy %-14s %13.1fx %15.1fx" % (style, gw / j["events_per_s"], gc / j["cpu_events_per_s"]))
PYEOF
