package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// badCase is one case of testdata/bad (see its README.md).
type badCase struct {
	name  string
	src   []byte
	want  *regexp.Regexp
	args  []string
	links [][2]string // name in the case's folder, target
}

func readBadCase(t *testing.T, file string) badCase {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := badCase{name: strings.TrimSuffix(filepath.Base(file), ".toml"), src: src}
	want := ""
	for _, line := range strings.Split(string(src), "\n") {
		d, ok := strings.CutPrefix(line, "# ")
		if !ok {
			break
		}
		key, val, _ := strings.Cut(d, ": ")
		switch key {
		case "want":
			want = val
		case "arg":
			c.args = append(c.args, val)
		case "link":
			name, target, ok := strings.Cut(val, " -> ")
			if !ok {
				t.Fatalf("bad directive %q", line)
			}
			c.links = append(c.links, [2]string{name, target})
		}
	}
	if want == "" {
		w, err := os.ReadFile(strings.TrimSuffix(file, ".toml") + ".want")
		if err != nil {
			t.Fatalf("no # want: line and no .want file: %v", err)
		}
		want = strings.TrimSpace(string(w))
	}
	c.want = regexp.MustCompile(want)
	return c
}

// cliNoPanic is cli that turns a panic into a test failure of this case.
func cliNoPanic(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	var out, errb bytes.Buffer
	code = runMain(&env{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

// TestBadCorpus: every broken input of testdata/bad exits 2 with one line
// on stderr naming the file and the line (or key, or flag), prints nothing
// on stdout, does not panic and writes no output folder.
func TestBadCorpus(t *testing.T) {
	root := filepath.Join(repoRoot(t), "testdata", "bad")
	files, err := filepath.Glob(filepath.Join(root, "*.toml"))
	if err != nil || len(files) < 40 {
		t.Fatalf("%d cases in %s (%v), want at least 40", len(files), root, err)
	}
	for _, f := range files {
		c := readBadCase(t, f)
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			dir := filepath.Join(tmp, "case")
			copyDir(t, filepath.Join(root, "data"), filepath.Join(dir, "data"))
			file := filepath.Join(dir, c.name+".toml")
			writeFile(t, file, c.src)
			writeFile(t, filepath.Join(tmp, "outside.csv"), []byte("1m\n2m\n"))
			for _, l := range c.links {
				if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
					t.Skipf("symbolic links: %v", err)
				}
			}
			out := filepath.Join(tmp, "out")
			runs := [][]string{append([]string{"run", file, "--out", out}, c.args...)}
			if validateTakes(c.args) {
				runs = append(runs, append([]string{"validate", file}, c.args...))
			}
			for _, args := range runs {
				code, stdout, stderr := cliNoPanic(t, args...)
				line := strings.TrimSuffix(stderr, "\n")
				switch {
				case code != 2:
					t.Errorf("%s: exit %d, want 2; stderr %q", args[0], code, stderr)
				case stdout != "":
					t.Errorf("%s: stdout %q, want nothing", args[0], stdout)
				case line == "" || strings.Contains(line, "\n") || !strings.HasSuffix(stderr, "\n"):
					t.Errorf("%s: stderr %q, want one line", args[0], stderr)
				case !strings.HasPrefix(line, file+":") && !strings.HasPrefix(line, "data/") &&
					!strings.HasPrefix(line, "--") && !strings.HasPrefix(line, "spotsim "):
					t.Errorf("%s: %q names neither the file nor a flag", args[0], line)
				case !c.want.MatchString(line):
					t.Errorf("%s: %q does not match %q", args[0], line, c.want)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output folder was created")
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "summary*")); len(m) > 0 {
				t.Errorf("files written beside the scenario: %v", m)
			}
		})
	}
}

// validateTakes reports whether validate accepts the flags of a case.
func validateTakes(args []string) bool {
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--set", "--reps", "--seed":
			i++
		default:
			return false
		}
	}
	return true
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the regular files of a flat folder.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			t.Fatal(fmt.Sprintf("%s: only regular files in data/", e.Name()))
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, e.Name()), data)
	}
}
