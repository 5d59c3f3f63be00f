#!/bin/sh
# make-tasks.sh N prints the tasks of a spotsim sweep split into N shards,
# for az batch task create --job-id JOB --json-file FILE: task I (I = 0 to
# N-1) runs shard I/N, and task "merge", which depends on tasks 0 to N-1,
# merges them. Every task works in the Azure Files share that pool.json
# mounts at $AZ_BATCH_NODE_MOUNTS_DIR/spotsim: bin/spotsim, scenario.toml
# (and its data files) beside it, and out/ for the results.
#
#   sh deploy/azure-batch/make-tasks.sh 16 > tasks.json
#
# tasks.json in this folder is the output for N = 4.
set -eu
n=${1:?usage: make-tasks.sh SHARDS}
case $n in
'' | *[!0-9]*)
	echo "make-tasks.sh: SHARDS must be a whole number, got $n" >&2
	exit 2
	;;
esac
if [ "$n" -lt 1 ]; then
	echo "make-tasks.sh: SHARDS must be at least 1" >&2
	exit 2
fi
echo '['
i=0
while [ "$i" -lt "$n" ]; do
	cat <<TASK
  {
    "id": "$i",
    "displayName": "spotsim sweep shard $i/$n",
    "commandLine": "/bin/sh -c 'exec \"\$AZ_BATCH_NODE_MOUNTS_DIR/spotsim/bin/spotsim\" sweep \"\$AZ_BATCH_NODE_MOUNTS_DIR/spotsim/scenario.toml\" --shard $i/$n --out \"\$AZ_BATCH_NODE_MOUNTS_DIR/spotsim/out\"'",
    "constraints": {
      "maxTaskRetryCount": 3
    }
  },
TASK
	i=$((i + 1))
done
cat <<TASK
  {
    "id": "merge",
    "displayName": "spotsim merge of $n shards",
    "commandLine": "/bin/sh -c 'exec \"\$AZ_BATCH_NODE_MOUNTS_DIR/spotsim/bin/spotsim\" merge \"\$AZ_BATCH_NODE_MOUNTS_DIR/spotsim/out\" --out \"\$AZ_BATCH_NODE_MOUNTS_DIR/spotsim/out\"'",
    "dependsOn": {
      "taskIdRanges": [
        {
          "start": 0,
          "end": $((n - 1))
        }
      ]
    },
    "constraints": {
      "maxTaskRetryCount": 1
    }
  }
]
TASK
