package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormulaCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(src), 0o644)
		return p
	}
	good := write("good.formula", `// the Azure guide's pending-tasks formula
$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
$tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));
$targetVMs = $tasks > 0 ? $tasks : max(0, $TargetDedicatedNodes / 2);
$TargetDedicatedNodes = max(0, min($targetVMs, 25));
$NodeDeallocationOption = taskcompletion;
`)
	bad := write("bad.formula", "$TargetDedicatedNodes = 3 +\n  max(1, );\n$CPUPercent = 2;\n")
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{[]string{"formula", "check", good}, 0, "", nil},
		{[]string{"formula", "check", bad}, 2, "", []string{bad + ":2:10: expected an expression"}},
		// Constant history of 40 pending tasks: 100 % of samples, so
		// max(40, avg(40...)) = 40, capped at 25.
		{[]string{"formula", "eval", good, "--var", "$PendingTasks=40"}, 0,
			"$NodeDeallocationOption = taskcompletion\n$TargetDedicatedNodes = 25\n", nil},
		// No pending tasks: half the current target (read before assignment).
		{[]string{"formula", "eval", good, "--var", "$TargetDedicatedNodes=9"}, 0,
			"$NodeDeallocationOption = taskcompletion\n$TargetDedicatedNodes = 4.5\n", nil},
		{[]string{"formula", "eval", good, "--var", "$Nope=1"}, 2, "", []string{"$Nope is not a service-defined variable"}},
		{[]string{"formula", "eval", good, "--var", "$PendingTasks=lots"}, 2, "", []string{"want a finite number"}},
		{[]string{"formula", "eval", write("fail.formula", "$TargetDedicatedNodes = val([1,2], 5);")}, 1, "", []string{"evaluation failed"}},
		{[]string{"formula"}, 2, "", []string{"want check or eval"}},
		{[]string{"formula", "check", filepath.Join(dir, "missing")}, 2, "", []string{"missing"}},
	}
	for _, tt := range tests {
		code, stdout, stderr := cli(t, tt.args...)
		if code != tt.code || stdout != tt.stdout {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stdout %q", tt.args[1:], code, stdout, stderr, tt.code, tt.stdout)
		}
		for _, w := range tt.stderr {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", tt.args[1:], stderr, w)
			}
		}
	}
	// check reports every type error, one line each
	_, _, stderr := cli(t, "formula", "check", write("types.formula", "$CPUPercent = 2;\n$TargetDedicatedNodes = \"x\" + 1;\n"))
	if n := strings.Count(strings.TrimSpace(stderr), "\n") + 1; n != 2 {
		t.Errorf("want 2 error lines, got %d: %q", n, stderr)
	}
}

func TestFormulaErrorInScenario(t *testing.T) {
	dir := t.TempDir()
	scenario := `[[pools]]
name = "main"
vm_size = "Standard_D4s_v5"
[pools.autoscale]
formula = '''
$TargetDedicatedNodes = 1;
$TargetLowPriorityNodes = min(10, $PendingTaks.GetSample(1));
'''
[pools.preemption]
mean_time_to_preemption = "8h"
[[jobs]]
name = "j"
tasks = 10
duration = "10m"
`
	file := filepath.Join(dir, "s.toml")
	os.WriteFile(file, []byte(scenario), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := cli(t, "run", file, "--out", out)
	if code != 2 || !strings.Contains(stderr, file+":7:35: pools.main.autoscale.formula: formula:") || !strings.Contains(stderr, "$PendingTaks") {
		t.Fatalf("exit %d: %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("output written")
	}
	// A formula file beside the scenario: errors name that file.
	os.WriteFile(filepath.Join(dir, "scale.formula"), []byte("$TargetDedicatedNodes = 1 +;\n"), 0o644)
	withFile := strings.Replace(scenario, "formula = '''\n$TargetDedicatedNodes = 1;\n$TargetLowPriorityNodes = min(10, $PendingTaks.GetSample(1));\n'''", `formula_file = "scale.formula"`, 1)
	os.WriteFile(file, []byte(withFile), 0o644)
	code, _, stderr = cli(t, "run", file)
	if code != 2 || !strings.HasPrefix(stderr, "scale.formula:1:") {
		t.Fatalf("exit %d: %q", code, stderr)
	}
	// Interval below Azure's minimum.
	os.WriteFile(file, []byte(strings.Replace(scenario, "[pools.autoscale]\n", "[pools.autoscale]\ninterval = \"1m\"\n", 1)), 0o644)
	code, _, stderr = cli(t, "validate", file)
	if code != 2 || !strings.Contains(stderr, "s.toml:5:1: pools.main.autoscale.interval: must be between 5m and 168h") {
		t.Fatalf("exit %d: %q", code, stderr)
	}
}
