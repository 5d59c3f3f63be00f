package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs spotsim in-process and returns its exit status and outputs.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(&env{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func repoRoot(t *testing.T) string {
	t.Helper()
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..")
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	ref := filepath.Join(repoRoot(t), "testdata", "scenarios", "reference.toml")
	var outs [][]byte
	for _, w := range []string{"1", "4"} {
		dir := t.TempDir()
		code, _, stderr := cli(t, "run", ref, "--reps", "40", "--seed", "7", "--workers", w, "--out", dir)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		for _, f := range []string{"summary.json", "summary.csv"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, b)
		}
	}
	if !bytes.Equal(outs[0], outs[2]) || !bytes.Equal(outs[1], outs[3]) {
		t.Fatal("summary.json or summary.csv differ between 1 and 4 workers")
	}
	if !bytes.Contains(outs[0], []byte(`"seed": 7`)) || !bytes.Contains(outs[0], []byte(`"replications": 40`)) {
		t.Fatal("--seed/--reps not reflected in summary.json")
	}
}

func TestSeedChangesResults(t *testing.T) {
	_, a, _ := cli(t, "run", "reference", "--reps", "5", "--seed", "1", "--format", "json")
	_, b, _ := cli(t, "run", "reference", "--reps", "5", "--seed", "2", "--format", "json")
	if a == b {
		t.Fatal("different seeds gave identical output")
	}
}

const goodScenario = `[simulation]
replications = 3

[[pools]]
name = "main"
vm_size = "Standard_D4s_v5"
target_dedicated_nodes = 1
target_low_priority_nodes = 2

[pools.preemption]
mean_time_to_preemption = "2h"

[[jobs]]
name = "j"
pool = "main"
tasks = 10
duration = "5m"
`

// TestBadInput: each broken scenario exits 2 with a message naming the
// file and the line (or the key), and writes no output.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name, src string
		args      []string
		want      []string // substrings of stderr
	}{
		{"malformed", "[[pools]\nname = 1", nil, []string{"bad.toml:", "TOML syntax"}},
		{"unknown key", strings.Replace(goodScenario, "target_dedicated_nodes = 1", "target_dedicated_nodez = 1", 1), nil,
			[]string{"bad.toml:7:1:", "pools.main.target_dedicated_nodez", "unknown key", `did you mean "target_dedicated_nodes"`}},
		{"negative nodes", strings.Replace(goodScenario, "target_low_priority_nodes = 2", "target_low_priority_nodes = -3", 1), nil,
			[]string{"bad.toml:8:1:", "pools.main.target_low_priority_nodes", "got -3"}},
		{"zero tasks", strings.Replace(goodScenario, "tasks = 10", "tasks = 0", 1), nil,
			[]string{"bad.toml:16:1:", "jobs.j.tasks", "got 0"}},
		{"unknown vm size", strings.Replace(goodScenario, "Standard_D4s_v5", "Standard_Nope", 1), nil,
			[]string{"bad.toml:6:1:", "pools.main.vm_size", `unknown VM size "Standard_Nope"`}},
		{"bad duration", strings.Replace(goodScenario, `"5m"`, `"5 minutes"`, 1), nil,
			[]string{"bad.toml:17:1:", "jobs.j.duration", "invalid duration"}},
		{"bad dist key", strings.Replace(goodScenario, `"5m"`, `{ dist = "lognormal", mean = "5m", stdev = "1m" }`, 1), nil,
			[]string{"bad.toml:17:47:", "jobs.j.duration.stdev", "did you mean", "unknown key"}},
		{"missing preemption", strings.Replace(goodScenario, "[pools.preemption]\nmean_time_to_preemption = \"2h\"\n", "", 1), nil,
			[]string{"bad.toml", "pools.main.preemption", "missing"}},
		{"job on missing pool", strings.Replace(goodScenario, `pool = "main"`, `pool = "gpu"`, 1), nil,
			[]string{"bad.toml:15:1:", "jobs.j.pool", `no pool named "gpu"`}},
		{"bad --set", goodScenario, []string{"--set", "pools.main.target_low_priority_nodes=-1"},
			[]string{"--set pools.main.target_low_priority_nodes=-1", "must be between 0"}},
		{"--set unknown pool", goodScenario, []string{"--set", "pools.gpu.target_low_priority_nodes=1"},
			[]string{"--set pools.gpu.target_low_priority_nodes=1", `no element named "gpu"`}},
		{"--set unknown key", goodScenario, []string{"--set", "pools.main.max_pirce=1"},
			[]string{"--set pools.main.max_pirce=1", "unknown key"}},
		{"bad --reps", goodScenario, []string{"--reps", "0"}, []string{"simulation.replications", "must be between 1"}},
		{"empty", "", nil, []string{"bad.toml", "empty scenario"}},
		{"binary", "\x00\x01\x02garbage", nil, []string{"bad.toml", "binary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "bad.toml")
			os.WriteFile(file, []byte(tt.src), 0o644)
			out := filepath.Join(dir, "out")
			args := append([]string{"run", file, "--out", out}, tt.args...)
			code, stdout, stderr := cli(t, args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if stdout != "" {
				t.Errorf("stdout not empty: %q", stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output folder was created")
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("want one line, got %q", stderr)
			}
		})
	}
}

func TestFlagsAfterFileAndCommands(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.toml")
	os.WriteFile(file, []byte(goodScenario), 0o644)
	if code, out, errs := cli(t, "run", file, "--reps", "2", "--format", "csv"); code != 0 || !strings.HasPrefix(out, "run,metric,n,") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
	if code, out, _ := cli(t, "validate", file); code != 0 || !strings.Contains(out, "ok: 1 pool(s), 3 node(s), 1 job(s), 10 task(s), 3 replications") ||
		!strings.Contains(out, "lifetime exponential") || !strings.Contains(out, "mean time to preemption") {
		t.Fatalf("validate: %d %q", code, out)
	}
	code, out, _ := cli(t, "scenarios")
	if code != 0 || !strings.Contains(out, "\ndefault ") || !strings.Contains(out, "\nreference ") || !strings.Contains(out, "dynamic-mix ") {
		t.Fatalf("scenarios: %d %q", code, out)
	}
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"validate", "-h"}, {"help", "run"}} {
		if code, out, _ := cli(t, args...); code != 0 || !strings.Contains(out, "Usage") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	if code, _, errs := cli(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, errs := cli(t, "run", "--workers", "x"); code != 2 || !strings.Contains(errs, "--help") {
		t.Errorf("bad flag: %d %q", code, errs)
	}
	if code, _, errs := cli(t, "run", "no-such-scenario"); code != 2 || !strings.Contains(errs, "no such file or built-in scenario") {
		t.Errorf("missing scenario: %d %q", code, errs)
	}
}

func TestReportNamesPriceSources(t *testing.T) {
	code, out, _ := cli(t, "run", "reference", "--reps", "2")
	if code != 0 || !strings.Contains(out, "dedicated 0.1920 from scenario builtin:reference:21:1 (pools.main.dedicated_price)") {
		t.Fatalf("price source missing:\n%s", out)
	}
	code, out, _ = cli(t, "run", "checkpointed-training", "--reps", "2")
	if code != 0 || !strings.Contains(out, "low-priority 0.0420 from built-in catalog: illustrative figures, region unstated") || !strings.Contains(out, "a fixed price, which is an assumption") {
		t.Fatalf("catalog source missing:\n%s", out)
	}
	code, out, _ = cli(t, "run", "default", "--reps", "2")
	if code != 0 || !strings.Contains(out, "low-priority 0.0190 from scenario builtin:default:") || !strings.Contains(out, "mean-reverting OU process") {
		t.Fatalf("the process is not named:\n%s", out)
	}
}

func TestUnwritableOutputExits1(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	code, _, errs := cli(t, "run", "reference", "--reps", "2", "--out", filepath.Join(blocker, "sub"))
	if code != 1 || errs == "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}
