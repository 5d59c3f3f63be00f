package outfile

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// files returns a set of outputs: names, each holding its name and tag.
func files(tag string, names ...string) []File {
	var fs []File
	for _, n := range names {
		fs = append(fs, File{Name: n, Data: []byte(n + " " + tag + strings.Repeat(".", len(tag)*100))})
	}
	return fs
}

// contents returns every file of dir by name, hidden ones included.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			got[e.Name()+"/"] = ""
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(data)
	}
	return got
}

// want is what dir must hold with set fs: its files, the user's own file
// and the manifest.
func want(fs []File, extra map[string]string) map[string]string {
	w := maps.Clone(extra)
	for _, f := range fs {
		w[f.Name] = string(f.Data)
	}
	return w
}

// equalSet compares dir's files (the manifest's content apart) with w.
func equalSet(got, w map[string]string) bool {
	if _, ok := got[ManifestName]; !ok {
		return false
	}
	g := maps.Clone(got)
	delete(g, ManifestName)
	return maps.Equal(g, w)
}

// TestReplaceSets: a new set replaces the old; outputs the new set lacks
// go, unless the user changed them; the user's own files stay; stale
// staging folders and temporary files of an interrupted Write go.
func TestReplaceSets(t *testing.T) {
	dir := t.TempDir()
	mine := map[string]string{"mine.txt": "not spotsim's"}
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte(mine["mine.txt"]), 0o644)
	if err := Replace(dir, files("v1", "a.json", "b.png", "c.png")); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, dir); !equalSet(got, want(files("v1", "a.json", "b.png", "c.png"), mine)) {
		t.Fatalf("after the first set: %v", slices.Sorted(maps.Keys(got)))
	}
	// A crashed run's leftovers, of spotsim's own naming.
	os.Mkdir(filepath.Join(dir, stagingPrefix+"123"), 0o755)
	os.WriteFile(filepath.Join(dir, stagingPrefix+"123", "a.json"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(dir, ".a.json.tmp-99"), []byte("half"), 0o644)
	// The user edits c.png: it is theirs now and must stay.
	os.WriteFile(filepath.Join(dir, "c.png"), []byte("edited"), 0o644)
	if err := Replace(dir, files("v2", "a.json", "d.png")); err != nil {
		t.Fatal(err)
	}
	mine["c.png"] = "edited"
	if got := contents(t, dir); !equalSet(got, want(files("v2", "a.json", "d.png"), mine)) {
		t.Fatalf("after the second set: %v", slices.Sorted(maps.Keys(got)))
	}
	m, err := ReadManifest(dir)
	if err != nil || len(m.Files) != 2 || m.Files[0].Name != "a.json" || m.Files[1].Name != "d.png" {
		t.Fatalf("manifest %+v, %v", m, err)
	}
}

// TestReplaceBadNames: names that are not plain file names are refused
// before anything is written.
func TestReplaceBadNames(t *testing.T) {
	for _, name := range []string{"", "../x", "a/b", ".spotsim-manifest.json", ".hidden"} {
		dir := t.TempDir()
		if err := Replace(dir, []File{{Name: "ok", Data: nil}, {Name: name}}); err == nil {
			t.Errorf("%q: no error", name)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%q: %d files written", name, len(ents))
		}
	}
	if err := Replace(t.TempDir(), []File{{Name: "a"}, {Name: "a"}}); err == nil {
		t.Error("a repeated name: no error")
	}
}

// TestReplaceFailsCleanly: a write that fails (a name too long for the
// file system) leaves the old set and no staging folder.
func TestReplaceFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	old := files("v1", "a.json", "b.png")
	if err := Replace(dir, old); err != nil {
		t.Fatal(err)
	}
	bad := append(files("v2", "a.json"), File{Name: strings.Repeat("x", 300), Data: []byte("x")})
	if err := Replace(dir, bad); err == nil {
		t.Fatal("no error")
	}
	if got := contents(t, dir); !equalSet(got, want(old, map[string]string{})) {
		t.Fatalf("after a failed set: %v", slices.Sorted(maps.Keys(got)))
	}
}

// crash is what step panics with to stop Replace where a crash would.
type crash struct{}

// TestCrashAtEveryStep stops Replace at each of its steps in turn, as a
// crash would (nothing after the step runs: no clean-up), then runs
// Recover, as the next run does: the folder must hold exactly the old set
// or exactly the new one, and nothing of spotsim's staging.
func TestCrashAtEveryStep(t *testing.T) {
	defer func() { step = func() {} }()
	old := files("v1", "a.json", "b.png", "gone.png")
	next := files("v2", "a.json", "b.png", "new.png")
	mine := map[string]string{"mine.txt": "not spotsim's"}
	sawOld, sawNew := false, false
	for k := 0; ; k++ {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "mine.txt"), []byte(mine["mine.txt"]), 0o644)
		step = func() {}
		if err := Replace(dir, old); err != nil {
			t.Fatal(err)
		}
		n := 0
		step = func() {
			if n == k {
				panic(crash{})
			}
			n++
		}
		crashed := func() (c bool) {
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(crash); !ok {
						panic(r)
					}
					c = true
				}
			}()
			if err := Replace(dir, next); err != nil {
				t.Fatal(err)
			}
			return false
		}()
		step = func() {}
		if err := Recover(dir); err != nil {
			t.Fatalf("crash at step %d: Recover: %v", k, err)
		}
		got := contents(t, dir)
		switch {
		case equalSet(got, want(old, mine)):
			sawOld = true
		case equalSet(got, want(next, mine)):
			sawNew = true
		default:
			t.Fatalf("crash at step %d: neither set: %v", k, slices.Sorted(maps.Keys(got)))
		}
		if !crashed {
			if k < 5 {
				t.Fatalf("only %d steps", k)
			}
			break
		}
	}
	if !sawOld || !sawNew {
		t.Fatalf("crashes left the old set: %v, the new: %v; want both seen", sawOld, sawNew)
	}
}

func Example() {
	dir, _ := os.MkdirTemp("", "out")
	defer os.RemoveAll(dir)
	Replace(dir, []File{{Name: "summary.json", Data: []byte("{}\n")}, {Name: "price.png", Data: []byte("png")}})
	Replace(dir, []File{{Name: "summary.json", Data: []byte("{\"n\": 1}\n")}}) // price.png is not produced: it goes
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		fmt.Println(e.Name())
	}
	// Output:
	// .spotsim-manifest.json
	// summary.json
}

// TestLocked: while one process holds the folder, another Replace fails at
// once, saying so, and writes nothing.
func TestLocked(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	err = Replace(dir, files("v1", "a.json"))
	if err == nil || !strings.Contains(err.Error(), "another spotsim is writing its outputs there") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.json")); err == nil {
		t.Fatal("a.json written")
	}
}
