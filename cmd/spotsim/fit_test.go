package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFitCommand fits the importer's fixtures: the ranked table, the
// goodness of fit and the model to paste, and with --out the chart.
func TestFitCommand(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	code, out, errOut := cli(t, "fit", "lifetimes", filepath.Join(root, "scenarios/importer/testdata/lifetimes.csv"), "--bootstrap", "39", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"240 node lifetimes (49 censored)",
		"weibull  1278.2   0.0",
		"best by AIC: weibull",
		"goodness of fit: KS 0.042",
		"(parametric bootstrap, 39 samples)",
		"[pools.preemption]\n  lifetime = { dist = \"weibull\", shape = 0.736, scale = \"10h34m\" }",
		"wrote fit-lifetimes.png",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "fit-lifetimes.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, "fit", "durations", filepath.Join(root, "scenarios/importer/testdata/task-list.json"), "--bootstrap", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := `duration = { dist = "lognormal", mean = "10m4s", stddev = "3m19s" }`; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "goodness of fit") {
		t.Errorf("--bootstrap 0 still tests the fit:\n%s", out)
	}
	code, out, errOut = cli(t, "fit", "lifetimes", filepath.Join(root, "scenarios/importer/testdata/activity-log.json"), "--bootstrap", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"35 node lifetimes (4 censored), 4m46s to 2d10h22m22s",
		"best by AIC: lognormal (ΔAIC 0.5 to the next); within 2 of the best, exponential is about as well supported",
		`lifetime = { dist = "lognormal", mean = "14h47m", stddev = "1d3h44m" }`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestFitBadInput: exit 2, one line naming the file and where, nothing
// written.
func TestFitBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", "lifetime,censored\n3h,false\n2h,maybe\n")
	zero := write("zero.csv", "lifetime\n0\n1h\n")
	same := write("same.csv", "duration\n5m\n5m\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"fit"}, "spotsim fit: want lifetimes or durations"},
		{[]string{"fit", "ages", bad}, `spotsim fit: want lifetimes or durations, not "ages"`},
		{[]string{"fit", "lifetimes"}, "spotsim fit lifetimes: name one file"},
		{[]string{"fit", "lifetimes", bad}, bad + ":3"},
		{[]string{"fit", "lifetimes", zero}, zero + ": observation 1 is 0"},
		{[]string{"fit", "durations", same}, same + ": need at least two different uncensored values"},
		{[]string{"fit", "durations", bad}, bad + `:1: no "duration" column`},
		{[]string{"fit", "lifetimes", filepath.Join(dir, "missing.csv")}, filepath.Join(dir, "missing.csv") + ": no such file"},
		{[]string{"fit", "lifetimes", bad, "--bootstrap", "-1"}, "spotsim fit lifetimes: --bootstrap must be between 0 and 10000, got -1"},
		{[]string{"fit", "lifetimes", bad, "--bootstrap", "20000"}, "spotsim fit lifetimes: --bootstrap must be between 0 and 10000"},
	}
	for _, c := range cases {
		out := filepath.Join(dir, "out")
		code, stdout, errOut := cli(t, append(c.args, "--out", out)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", c.args, code, errOut)
		}
		if lines := strings.Count(strings.TrimRight(errOut, "\n"), "\n") + 1; lines != 1 || !strings.HasPrefix(errOut, c.want) {
			t.Errorf("%v: stderr %q, want one line starting %q", c.args, errOut, c.want)
		}
		if stdout != "" {
			t.Errorf("%v: printed %q", c.args, stdout)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: wrote %s", c.args, out)
		}
	}
}
