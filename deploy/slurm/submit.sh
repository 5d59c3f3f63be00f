#!/bin/sh
# submit.sh SHARDS submits a spotsim sweep to Slurm: a job array of SHARDS
# tasks (sweep.sbatch, task I runs shard I/SHARDS) and a merge job
# (merge.sbatch) that depends on the whole array with afterok. It prints
# the two job ids, "ARRAY MERGE", on one line.
#
#   SPOTSIM=/shared/bin/spotsim SCENARIO=/shared/my.toml OUT=/shared/out \
#     sh deploy/slurm/submit.sh 16
#
# Extra sbatch options (a partition, an account, a time limit) go in
# SBATCH_OPTS; extra spotsim flags in SPOTSIM_ARGS; MAX_RUNNING=K runs at
# most K shards at once (--array=0-(N-1)%K). Logs go to $OUT/slurm-logs/.
set -eu
n=${1:?usage: submit.sh SHARDS}
case $n in
'' | *[!0-9]*)
	echo "submit.sh: SHARDS must be a whole number, got $n" >&2
	exit 2
	;;
esac
if [ "$n" -lt 1 ]; then
	echo "submit.sh: SHARDS must be at least 1" >&2
	exit 2
fi
: "${SPOTSIM:?set SPOTSIM to the spotsim binary}" "${SCENARIO:?set SCENARIO}" "${OUT:?set OUT}"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT/slurm-logs"
export SPOTSIM SCENARIO OUT SPOTSIM_ARGS="${SPOTSIM_ARGS:-}"
# shellcheck disable=SC2086 # SBATCH_OPTS is a list of options
array=$(sbatch --parsable ${SBATCH_OPTS:-} --export=ALL --array=0-$((n - 1))${MAX_RUNNING:+%$MAX_RUNNING} \
	--output="$OUT/slurm-logs/sweep-%A_%a.out" "$here/sweep.sbatch")
array=${array%%;*} # --parsable prints "id" or "id;cluster"
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTS:-} --export=ALL --dependency=afterok:"$array" \
	--kill-on-invalid-dep=yes --output="$OUT/slurm-logs/merge-%j.out" "$here/merge.sbatch")
echo "$array ${merge%%;*}"
