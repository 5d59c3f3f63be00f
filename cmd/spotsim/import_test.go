package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func importData(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(repoRoot(t), "scenarios", "importer", "testdata", name)
}

// TestImportRuns: spotsim import writes a scenario and its price trace
// that validate and run as written.
func TestImportRuns(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "render.toml")
	code, stdout, stderr := cli(t, "import", "batch-pool", importData(t, "pool-data.json"),
		"--prices", importData(t, "prices-d4s-page1.json"), "--prices", importData(t, "prices-d4s-page2.json"),
		"--region", "eastus", "--spot", importData(t, "spot.json"), "--tasks", importData(t, "task-list.json"),
		"--evictions", importData(t, "lifetimes.csv"), "--out", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "ASSUMED allocation delay") {
		t.Errorf("the assumptions are not listed: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "render-spot-price.csv")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "validate", out); code != 0 {
		t.Fatalf("validate: exit %d: %s", code, stderr)
	}
	if code, stdout, stderr := cli(t, "run", out, "--reps", "3"); code != 0 || !strings.Contains(stdout, "baseline") {
		t.Fatalf("run: exit %d: %s%s", code, stdout, stderr)
	}
	// --prices takes several files at once, as a shell glob gives them.
	code, one, _ := cli(t, "import", "batch-pool", importData(t, "pool-data.json"), "--region", "eastus", "--prices", importData(t, "prices-d4s-page1.json"), importData(t, "prices-d4s-page2.json"))
	_, two, _ := cli(t, "import", "batch-pool", importData(t, "pool-data.json"), "--region", "eastus", "--prices", importData(t, "prices-d4s-page1.json"), "--prices", importData(t, "prices-d4s-page2.json"))
	if code != 0 || one != strings.Replace(two, "--prices "+importData(t, "prices-d4s-page2.json"), importData(t, "prices-d4s-page2.json"), 1) {
		t.Errorf("--prices A B: exit %d, and not as --prices A --prices B:\n%s", code, one)
	}
	// The same inputs give the same bytes.
	code, again, _ := cli(t, "import", "batch-pool", importData(t, "pool-data.json"), "--prices", importData(t, "prices-d4s-page1.json"), "--region", "eastus")
	code2, again2, _ := cli(t, "import", "batch-pool", importData(t, "pool-data.json"), "--prices", importData(t, "prices-d4s-page1.json"), "--region", "eastus")
	if code != 0 || code2 != 0 || again != again2 || !strings.Contains(again, "[[pools]]") {
		t.Errorf("stdout imports differ or fail (%d, %d)", code, code2)
	}
}

// TestImportBadInput: exit 2, one line naming the file and the JSON path,
// and nothing written.
func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "pool.json")
	os.WriteFile(bad, []byte(`{"id": "p", "vmSize": "Standard_D4s_v5", "targetDedicatedNodes": -2}`), 0o644)
	out := filepath.Join(dir, "out.toml")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "batch-pool", bad, "--out", out}, bad + ": $.targetDedicatedNodes: must be a number >= 0"},
		{[]string{"import", "batch-pool", importData(t, "prices-ds3.json"), "--out", out}, "this looks like a Retail Prices page, not a Batch pool"},
		{[]string{"import", "batch-pool", importData(t, "pool-data.json"), "--prices", importData(t, "pool-data.json"), "--out", out}, "this looks like an Azure Batch pool, not a Retail Prices page"},
		{[]string{"import", "batch-pool", importData(t, "pool-data.json"), "--prices", importData(t, "prices-d4s-page1.json"), "--prices", importData(t, "prices-d4s-page2.json"), "--out", out}, "for several regions (eastus, westeurope): choose one with --region"},
		{[]string{"import", "batch-pool", importData(t, "pool-data.json"), "--spot", importData(t, "spot.json"), "--region", "eastus"}, "give --out FILE"},
		{[]string{"import", "batch-pool", importData(t, "pool-data.json"), "--evictions", importData(t, "spot.json"), "--out", out}, "this looks like a Resource Graph SpotResources result, not an activity log or a CSV of lifetimes"},
		{[]string{"import", "aml", importData(t, "aml/endpoint.yml"), "--out", out}, "not a compute"},
		{[]string{"import", "aml", importData(t, "aml/low-pri-cluster.yml"), importData(t, "aml/endpoint.yml"), "--time-per-input", `{ dist = "uniform", min = "1m" }`, "--prices", importData(t, "prices-ds3.json"), "--out", out}, "the imported scenario does not validate"},
		{[]string{"import", "cluster", "x"}, `unknown input "cluster"`},
	} {
		code, _, stderr := cli(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", c.args[1:3], code, stderr, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v wrote %s", c.args, out)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left behind: %v", ents)
	}
}

// TestExportImportFormula: a built-in's autoscale pool exported as Batch
// JSON imports back with its formula and interval, which formula check
// accepts.
func TestExportImportFormula(t *testing.T) {
	dir := t.TempDir()
	pool := filepath.Join(dir, "pool.json")
	if code, _, stderr := cli(t, "export", "batch-pool", "dynamic-mix", "--out", pool); code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	out := filepath.Join(dir, "back.toml")
	if code, _, stderr := cli(t, "import", "batch-pool", pool, "--out", out); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	_, orig, _ := cli(t, "export", "batch-pool", "dynamic-mix")
	_, back, _ := cli(t, "export", "batch-pool", out)
	if orig != back || !strings.Contains(orig, `"autoScaleEvaluationInterval": "PT5M"`) {
		t.Errorf("export of the import differs:\n%s\nvs\n%s", orig, back)
	}
	src, _ := os.ReadFile(out)
	i := strings.Index(string(src), "formula = '''\n")
	j := strings.Index(string(src)[i+14:], "'''")
	if i < 0 || j < 0 {
		t.Fatalf("no formula in:\n%s", src)
	}
	f := filepath.Join(dir, "scale.formula")
	os.WriteFile(f, src[i+14:i+14+j], 0o644)
	if code, _, stderr := cli(t, "formula", "check", f); code != 0 {
		t.Errorf("formula check: %d %s", code, stderr)
	}
	if code, _, stderr := cli(t, "export", "batch-pool", "heart-classifier"); code != 2 || !strings.Contains(stderr, "an Azure ML compute cluster, not a Batch pool") {
		t.Errorf("export of a cluster: %d %s", code, stderr)
	}
}
