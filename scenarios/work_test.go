package scenarios_test

import (
	"strings"
	"testing"
	"time"
)

const workBase = `[[pools]]
name = "p"
vm_size = "Standard_D4s_v5"
target_dedicated_nodes = 2
target_low_priority_nodes = 2
[pools.preemption]
mean_time_to_preemption = "8h"

[[pools]]
name = "aml"
vm_size = "Standard_D4s_v5"
[pools.cluster]
tier = "low_priority"
min_instances = 0
max_instances = 2
[pools.preemption]
mean_time_to_preemption = "4h"

[[jobs]]
name = "j"
pool = "p"
tasks = 10
duration = "1h"
max_task_retries = 2
max_wall_clock = "2h"
failure_probability = 0.1
nodes_per_task = 2
dedicated_only = false
[jobs.checkpoint]
interval = "20m"
cost = "1m"
restore = "2m"
on_notice = true
[jobs.manager]
duration = "3h"
allow_low_priority = false

[[jobs]]
name = "score"
pool = "aml"
[jobs.mini_batch]
inputs = 101
mini_batch_size = 10
time_per_input = "10s"
instance_count = 2
max_concurrency_per_instance = 3
error_threshold = 5
retry_settings = { max_retries = 2, timeout = "300s" }
`

func TestWorkKeys(t *testing.T) {
	sc, err := load(t, workBase)
	if err != nil {
		t.Fatal(err)
	}
	j, s := sc.Jobs[0], sc.Jobs[1]
	if j.MaxTaskRetries != 2 || j.MaxWallClock != 2*time.Hour || j.FailureProbability != 0.1 || j.NodesPerTask != 2 ||
		j.Checkpoint == nil || j.Checkpoint.Interval != 20*time.Minute || !j.Checkpoint.OnNotice || j.Manager == nil || j.Manager.AllowLowPriority {
		t.Errorf("job: %+v", j)
	}
	if s.Tasks != 11 || s.MaxTaskRetries != 2 || s.MaxWallClock != 300*time.Second || s.MiniBatch.ErrorThreshold != 5 || s.MiniBatch.InstanceCount != 2 {
		t.Errorf("mini-batch job: %+v %+v", s, s.MiniBatch)
	}
	if sc.Pools[1].Cluster == nil || sc.Pools[1].Cluster.MaxInstances != 2 || sc.Pools[1].TaskSlotsPerNode != 3 {
		t.Errorf("cluster pool: %+v", sc.Pools[1])
	}
}

// TestWorkBadInput: the bad inputs of issue 5, each a clear error naming
// the file, line and key.
func TestWorkBadInput(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"mini_batch_size = 10", "mini_batch_size = 0", "s.toml:43:1: jobs.score.mini_batch.mini_batch_size: must be between 1 and"},
		{"max_concurrency_per_instance = 3", "max_concurrency_per_instance = 0", "s.toml:46:1: jobs.score.mini_batch.max_concurrency_per_instance: must be between 1 and"},
		{"nodes_per_task = 2", "nodes_per_task = 5", `s.toml:27:1: jobs.j.nodes_per_task: 5 nodes per task, but pool "p" never has more than 4 nodes`},
		{`interval = "20m"`, `interval = "0s"`, "s.toml:30:1: jobs.j.checkpoint.interval: must be at least 1s, got 0s"},
		{"min_instances = 0", "min_instances = 3", "s.toml:14:1: pools.aml.cluster.min_instances: 3 is more than max_instances 2"},
		{"[[jobs]]\nname = \"score\"\npool = \"aml\"\n", "[[jobs]]\nname = \"score\"\npool = \"aml\"\ntasks = 3\n", "s.toml:41:1: jobs.score.tasks: does not apply to a mini-batch job"},
		{"max_instances = 2", "max_instances = 2\ntarget_dedicated_nodes = 1", "pools.aml.cluster.target_dedicated_nodes: unknown key"},
	}
	for _, tt := range tests {
		src := strings.Replace(workBase, tt.old, tt.new, 1)
		if src == workBase {
			t.Fatalf("%q not in the base", tt.old)
		}
		_, err := load(t, src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s -> %s:\n got %v\nwant %s", tt.old, tt.new, err, tt.want)
		}
	}
}
