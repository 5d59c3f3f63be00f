#!/usr/bin/env bash
# Node scaling: bench/large.toml at 10^3 to 10^5 nodes (a fifth dedicated),
# 100 tasks a node, one replication with its baseline on one worker. Prints
# CPU time (user + system, so a busy machine's waiting is not counted) and
# peak RSS at each size, the growth exponent of CPU time in nodes (a
# least-squares fit of log time on log nodes; 1 is linear, the target is
# 1.1 or less) and the 10^5 / 10^4 ratio (the target is 10 or less).
#
#   bash bench/scaling.sh               # from anywhere in the repository
#   SIZES="1000 10000" bash bench/scaling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 3162 10000 31623 100000"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/spotsim" ./cmd/spotsim
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do
	d=$((n / 5))
	l=$((n - d))
	/usr/bin/time -f '%U %S %M' -o "$tmp/time.txt" "$tmp/spotsim" run bench/large.toml --reps 1 --workers 1 --format json \
		--set pools.main.target_dedicated_nodes=$d --set pools.main.target_low_priority_nodes=$l \
		--set jobs.work.tasks=$((100 * n)) >"$tmp/out.json"
	echo "$n $(cat "$tmp/time.txt")" >>"$tmp/points.txt"
	echo "  $n nodes done" >&2
done
/usr/bin/python3 - "$tmp/points.txt" <<'PYEOF'
import math, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
print(f"{'nodes':>8} {'tasks':>10} {'cpu_s':>9} {'rss_mib':>9}")
pts = []
for n, user, sys_, rss in rows:
    print(f"{int(n):>8} {int(100 * n):>10} {user + sys_:>9.2f} {rss / 1024:>9.1f}")
    pts.append((n, user + sys_))
xs = [math.log(n) for n, _ in pts]; ys = [math.log(t) for _, t in pts]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
print(f"growth exponent of CPU time in nodes: {slope:.3f} (target <= 1.1)")
t = dict(pts)
if 10000 in t and 100000 in t:
    print(f"10^5 / 10^4 nodes: {t[100000] / t[10000]:.2f}x (target <= 10)")
PYEOF
