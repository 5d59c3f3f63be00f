package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/scenarios"
)

// TestDataFilesStayInFolder: a scenario reads data files only inside its
// own folder. Absolute paths, paths that climb out and symbolic links that
// lead out are refused; links that stay inside are followed.
func TestDataFilesStayInFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "scen") // the scenario's folder
	outside := filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(dir, "sub"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string) {
		if err := os.WriteFile(name, []byte("5m\n7m\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "sub", "d.csv"))
	write(filepath.Join(outside, "x.csv"))
	links := map[string]string{ // link in dir -> target
		"out.csv":    filepath.Join(outside, "x.csv"),
		"outrel.csv": filepath.Join("..", "outside", "x.csv"),
		"outdir":     outside,
		"up":         "..",
		"in.csv":     filepath.Join("sub", "d.csv"),
		"inabs.csv":  filepath.Join(dir, "sub", "d.csv"),
		"indir":      "sub",
		"chain.csv":  "out.csv", // inside, then out
		"dangling":   "nowhere.csv",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	const outMsg = `is outside the scenario's folder: data files must sit beside the scenario or below it`
	const linkMsg = `leads outside the scenario's folder (through a symbolic link)`
	tests := []struct {
		file string
		want string // "" = loads
	}{
		{"sub/d.csv", ""},
		{"in.csv", ""},
		{"inabs.csv", ""},
		{"indir/d.csv", ""},
		{"./sub/../sub/d.csv", ""},
		{filepath.Join(outside, "x.csv"), `"` + filepath.Join(outside, "x.csv") + `" ` + outMsg},
		{"../outside/x.csv", `"../outside/x.csv" ` + outMsg},
		{"sub/../../outside/x.csv", `"sub/../../outside/x.csv" ` + outMsg},
		{"out.csv", `"out.csv" ` + linkMsg},
		{"outrel.csv", `"outrel.csv" ` + linkMsg},
		{"outdir/x.csv", `"outdir/x.csv" ` + linkMsg},
		{"up/outside/x.csv", `"up/outside/x.csv" ` + linkMsg},
		{"chain.csv", `"chain.csv" ` + linkMsg},
		{"dangling", `cannot read "dangling": no such file or directory`},
		{"sub", `"sub" is not a regular file`},
		{"missing.csv", `cannot read "missing.csv": no such file or directory`},
	}
	for _, tt := range tests {
		src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "`+tt.file+`" }`, 1)
		d, err := scenarios.ParseDoc("s.toml", src, dir)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := d.Scenario()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.file, err)
		case tt.want == "" && sc.Jobs[1].Duration.Samples[1] != 7*time.Minute:
			t.Errorf("%s: samples %v", tt.file, sc.Jobs[1].Duration.Samples)
		case tt.want != "" && (err == nil || err.Error() != "s.toml:41:34: jobs.y.duration.file: "+tt.want):
			t.Errorf("%s:\n got %v\nwant s.toml:41:34: jobs.y.duration.file: %s", tt.file, err, tt.want)
		}
	}

	// The same rules hold for a scenario opened through a link to its
	// folder, and for a file named by --set.
	if err := os.Symlink(dir, filepath.Join(root, "alias")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "alias", "s.toml")
	src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "in.csv" }`, 1)
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Load(file); err != nil {
		t.Errorf("through a linked folder: %v", err)
	}
	set := scenarios.Set{Path: "jobs.y.duration", Value: `{ dist = "empirical", file = "out.csv" }`}
	want := `--set jobs.y.duration={ dist = "empirical", file = "out.csv" }: jobs.y.duration.file: "out.csv" ` + linkMsg
	if _, err := scenarios.Load(file, set); err == nil || err.Error() != want {
		t.Errorf("--set:\n got %v\nwant %s", err, want)
	}
}

// TestBuiltinReadsNoFiles: a built-in scenario has no folder, so it reads
// no data file, whatever --set says.
func TestBuiltinReadsNoFiles(t *testing.T) {
	set := scenarios.Set{Path: "jobs.render.duration", Value: `{ dist = "empirical", file = "d.csv" }`}
	_, err := scenarios.Load("default", set)
	if err == nil || !strings.HasSuffix(err.Error(), `jobs.render.duration.file: built-in scenarios cannot read files ("d.csv")`) {
		t.Fatalf("got %v", err)
	}
}

// TestDurationsBOM: a byte order mark before the first value is not part
// of it. The value used to fail to parse, was taken for a header and was
// silently dropped.
func TestDurationsBOM(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("\ufeff5m\n10m\n"), 0o644)
	src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "d.csv" }`, 1)
	d, err := scenarios.ParseDoc("s.toml", src, dir)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := d.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Jobs[1].Duration.Samples; len(got) != 2 || got[0] != 5*time.Minute {
		t.Fatalf("samples %v, want [5m 10m]", got)
	}
}
