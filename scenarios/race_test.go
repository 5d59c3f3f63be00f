package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spotsim/spotsim/scenarios"
)

// TestDataFolderSwapRace swaps the data folder for a symbolic link to an
// outside folder, and back, in a loop while the scenario loads, 3,000 times.
// A load must read the inside file or fail; it must never read the outside
// one (its durations are 99h), nor print a line of it in an error. Before
// os.Root, the checked path could be swapped before it was opened.
func TestDataFolderSwapRace(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "scen")
	data, real, outside := filepath.Join(dir, "data"), filepath.Join(dir, "data.real"), filepath.Join(root, "outside")
	for _, d := range []string{data, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(data, "d.csv"), []byte("5m\n7m\n"), 0o644)
	os.WriteFile(filepath.Join(outside, "d.csv"), []byte("secret-header\nsecret-row-two\n99h\n"), 0o644)
	src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "data/d.csv" }`, 1)
	doc, err := scenarios.ParseDoc("s.toml", src, dir)
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	swapped := make(chan struct{})
	go func() {
		defer close(swapped)
		for !stop.Load() {
			if os.Rename(data, real) == nil {
				os.Symlink(outside, data)
				os.Remove(data)
				os.Rename(real, data)
			}
		}
	}()
	ok, refused := 0, 0
	for range 3000 {
		sc, err := doc.Scenario()
		if err != nil {
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("an error prints the outside file: %v", err)
			}
			refused++
			continue
		}
		for _, d := range sc.Jobs[1].Duration.Samples {
			if d == 99*time.Hour {
				stop.Store(true)
				t.Fatal("read the file outside the scenario's folder")
			}
		}
		ok++
	}
	stop.Store(true)
	<-swapped
	t.Logf("3000 loads under a racing swap: %d read the inside file, %d were refused", ok, refused)
}
