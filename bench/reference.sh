#!/usr/bin/env bash
# The reference scenario against its independent SimPy peer
# (../shared/peers/simpy_pool.py), same replications, same machine, same run:
# results (means and 95 % intervals of completion time and cost) and speed.
#
#   bash bench/reference.sh              # default and large sizes
#   bash bench/reference.sh default      # or: large
#   REPS=200 LARGE_REPS=20 bash bench/reference.sh
#
# Sizes: default is testdata/scenarios/reference.toml (2 dedicated + 20
# low-priority nodes, 2,000 ten-minute tasks, MTTP 4 h), REPS replications
# (200, the file's). large is the peer's --dedicated 100 --low 900 --tasks
# 200000, LARGE_REPS replications (20: SimPy takes about 3 s each); spotsim
# gets the same by --set, plus core quotas lifted (3,600 low-priority cores
# is beyond Azure's default quota of 100, which would cap the pool).
#
# Times are end-to-end process wall times (interpreter start-up and imports
# included for SimPy, the binary's start-up for spotsim, which is built once
# beforehand so compile time is not counted). spotsim's run also simulates
# the dedicated-only baseline of every replication, which the peer does not;
# that is counted. It runs twice: with one worker (one core, like SimPy) and
# with the default one per CPU. "scenario only" is the scenario's share alone
# on one core: BenchmarkReference / BenchmarkReferenceLarge (model/
# bench_test.go) time per replication, times the replications.
#
# The two models draw different random numbers, so their means differ by
# sampling noise; "z" is the difference over its standard error, and |z| < 3
# is agreement.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-200}
LARGE_REPS=${LARGE_REPS:-20}
PY=/usr/bin/python3
PEER=${PEER:-../shared/peers/simpy_pool.py}
SIZES=${1:-both}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "building spotsim and the model benchmarks (not timed)"
go build -o "$tmp/spotsim" ./cmd/spotsim
go test -c -o "$tmp/model.test" ./model/

peer=yes
if [ ! -f "$PEER" ]; then
	echo "SKIPPING the peer: $PEER not found (../shared is not checked out next to this repository); spotsim only."
	peer=no
elif ! "$PY" -c 'import simpy' 2>/dev/null; then
	echo "SKIPPING the peer: SimPy is not installed for $PY (Debian: apt-get install python3-simpy3; .ci/run installs it); spotsim only."
	peer=no
fi

# timed OUT CMD...: runs CMD with stdout to OUT and writes "wall user sys"
# (seconds) to OUT.time: wall from the clock in ns, CPU from /usr/bin/time.
timed() {
	local out=$1 t0 t1
	shift
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$out.cpu" "$@" >"$out"
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000000)).$(printf '%09d' $(((t1 - t0) % 1000000000))) $(tail -1 "$out.cpu")" >"$out.time"
}

size() {
	local name=$1 reps=$2 bench=$3 peer_args=$4
	shift 4
	local sets=("$@")
	echo
	echo "== $name: $reps replications   (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
	timed "$tmp/s1.json" "$tmp/spotsim" run testdata/scenarios/reference.toml --format json --reps "$reps" --workers 1 "${sets[@]}"
	timed "$tmp/sn.json" "$tmp/spotsim" run testdata/scenarios/reference.toml --format json --reps "$reps" "${sets[@]}"
	cmp -s "$tmp/s1.json" "$tmp/sn.json" || echo "WARNING: spotsim's output differs between --workers 1 and the default"
	(cd model && "$tmp/model.test" -test.run '^$' -test.bench "^$bench\$" -test.benchtime "${reps}x" -test.cpu 1) >"$tmp/bench.txt"
	if [ "$peer" = yes ]; then
		# shellcheck disable=SC2086
		timed "$tmp/p.json" "$PY" "$PEER" $peer_args --reps "$reps"
	else
		rm -f "$tmp/p.json"
	fi
	"$PY" - "$tmp" "$reps" <<'PYEOF'
import json, math, os, re, sys
tmp, reps = sys.argv[1], int(sys.argv[2])
def times(path):
    wall, user, sys_ = (float(x) for x in open(path + ".time").read().split()[-3:])
    return wall, user + sys_
s = json.load(open(tmp + "/sn.json"))
s1_wall, s1_cpu = times(tmp + "/s1.json")
sn_wall, sn_cpu = times(tmp + "/sn.json")
m = re.search(r"\s([0-9.]+) ns/op\s+([0-9.]+) events/op", open(tmp + "/bench.txt").read())
only = float(m.group(1)) * reps / 1e9 if m else None
events = float(m.group(2)) if m else None
p = json.load(open(tmp + "/p.json")) if os.path.exists(tmp + "/p.json") else None
p_wall, p_cpu = times(tmp + "/p.json") if p else (None, None)

def sp(stat):  # spotsim: mean, CI, standard error
    return stat["mean"], stat["ci95_low"], stat["ci95_high"], stat["sd"] / math.sqrt(stat["n"])
def pe(stat):  # peer: mean, CI (1.96 sd/sqrt n), standard error
    lo, hi = stat["ci95"]
    return stat["mean"], lo, hi, (hi - lo) / 2 / 1.96

sc = s["scenario"]
if sc["unfinished"]:
    print("WARNING: %d spotsim replications unfinished within the horizon" % sc["unfinished"])
rows = [("completion time (h)", sp(sc["completion_time_hours"]), pe(p["completion_h"]) if p else None),
        ("cost ($)", sp(sc["cost_usd"]), pe(p["cost_usd"]) if p else None),
        ("preemptions", sp(sc["preemptions"]), pe(p["preemptions"]) if p else None),
        ("requeued tasks", sp(sc["requeued_tasks"]), pe(p["requeued"]) if p else None)]
if p:
    print("%-20s %30s %30s %7s" % ("", "spotsim mean [95% CI]", "SimPy peer mean [95% CI]", "z"))
else:
    print("%-20s %30s" % ("", "spotsim mean [95% CI]"))
for name, a, b in rows:
    fa = "%.4f [%.4f, %.4f]" % a[:3]
    if b:
        z = (a[0] - b[0]) / math.sqrt(a[3] ** 2 + b[3] ** 2) if a[3] + b[3] > 0 else 0.0
        print("%-20s %30s %30s %+7.2f%s" % (name, fa, "%.4f [%.4f, %.4f]" % b[:3], z, "" if abs(z) < 3 else "  DISAGREE"))
    else:
        print("%-20s %30s" % (name, fa))
print()
print("%-40s %8s %8s" % ("time (s)", "wall", "CPU"))
print("%-40s %8.3f %8.3f" % ("spotsim, 1 worker, scenario+baseline", s1_wall, s1_cpu))
print("%-40s %8.3f %8.3f" % ("spotsim, %d workers, scenario+baseline" % os.cpu_count(), sn_wall, sn_cpu))
if only is not None:
    print("%-40s %8.3f %8s   (%s x %.0f events)" % ("spotsim, scenario only, 1 core", only, "", reps, events))
if p:
    print("%-40s %8.3f %8.3f   (its own timer, runs only: %.3f)" % ("SimPy peer, scenario only, 1 core", p_wall, p_cpu, p["wall_s"]))
    print()
    print("speed-up over SimPy (wall): %.0fx with 1 worker, %.0fx with %d workers (both with the baseline), %s scenario only on 1 core" % (
        p_wall / s1_wall, p_wall / sn_wall, os.cpu_count(), "%.0fx" % (p["wall_s"] / only) if only else "n/a"))
PYEOF
}

case $SIZES in
default | both) size default "$REPS" BenchmarkReference "" ;;
esac
case $SIZES in
large | both)
	size large "$LARGE_REPS" BenchmarkReferenceLarge "--dedicated 100 --low 900 --tasks 200000" \
		--set pools.main.target_dedicated_nodes=100 --set pools.main.target_low_priority_nodes=900 \
		--set jobs.job.tasks=200000 --set quotas.dedicated_cores=0 --set quotas.low_priority_cores=0
	;;
esac
