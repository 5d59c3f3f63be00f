package scenarios_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/scenarios"
)

// repeat joins n copies of format, each given its index.
func repeat(n int, format string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// TestLimits: each cap is an error that names the key (or the place) and
// the cap, and a document just inside a cap is not refused for it.
func TestLimits(t *testing.T) {
	nest := func(n int) string { return strings.Repeat("{ a = ", n) + "1" + strings.Repeat(" }", n) }
	tests := []struct {
		name, src string
		sets      []string
		want      string // the whole error
	}{
		{"inline tables", "x = " + nest(10) + "\n", nil,
			"s.toml:1:61: nested more than 10 deep (tables, arrays and dotted keys together): the limit of a scenario"},
		{"arrays", "x = " + strings.Repeat("[", 11) + strings.Repeat("]", 11) + "\n", nil,
			"s.toml:1:15: nested more than 10 deep (tables, arrays and dotted keys together): the limit of a scenario"},
		{"dotted key", strings.Repeat("a.", 10) + "a = 1\n", nil,
			"s.toml:1:1: nested more than 10 deep (tables, arrays and dotted keys together): the limit of a scenario"},
		{"header", "name = \"x\"\n[" + strings.Repeat("a.", 10) + "a]\n", nil,
			"s.toml:2:1: nested more than 10 deep (tables, arrays and dotted keys together): the limit of a scenario"},
		{"long key", "name = 1\n" + strings.Repeat("k", 129) + " = 1\n", nil,
			`s.toml:2:1: key "kkkkkkkkkkkkkkkkkkkk"… is 129 bytes long, more than the limit of 128`},
		{"long quoted key", `"` + strings.Repeat("k", 129) + `" = 1`, nil,
			`s.toml:1:1: key "kkkkkkkkkkkkkkkkkkkk"… is 129 bytes long, more than the limit of 128`},
		{"keys", repeat(100001, "k%d = 1\n"), nil,
			"s.toml:100001:1: more than 100000 keys and array elements: the limit of a scenario"},
		{"array elements", "x = [" + strings.Repeat("1,", 100001) + "]\n", nil,
			"s.toml:1:200004: more than 100000 keys and array elements: the limit of a scenario"},
		{"pools", base + repeat(1001, "[[pools]]\nname = \"p%d\"\nvm_size = \"Standard_D4s_v5\"\n"), nil,
			"s.toml:13:1: pools: 1003 tables, more than the limit of 1000"},
		{"jobs", base + repeat(10001, "[[jobs]]\nname = \"j%d\"\npool = \"b\"\ntasks = 1\nduration = \"1m\"\n"), nil,
			"s.toml:30:1: jobs: 10003 tables, more than the limit of 10000"},
		{"vm sizes", base + repeat(1001, "[[vm_sizes]]\nname = \"Standard_D4s_v5\" # %d\n"), nil,
			"s.toml:7:1: vm_sizes: 1002 tables, more than the limit of 1000"},
		{"name", strings.Replace(base, `name = "b"`, `name = "`+strings.Repeat("b", 65)+`"`, 1), nil,
			"s.toml:26:1: pools." + strings.Repeat("b", 65) + ".name: is 65 bytes long, more than the limit of 64\n" +
				`s.toml:39:1: jobs.y.pool: no pool named "b" (pools: "a", "` + strings.Repeat("b", 65) + `")`},
		{"horizon", strings.Replace(base, `horizon = "2d"`, `horizon = "3651d"`, 1), nil,
			"s.toml:5:1: simulation.horizon: must be at most 3650d, got 3651d"},
		{"set count", base, strings.Split(repeat(1001, "jobs.x.tasks=%d,")[:len(repeat(1001, "jobs.x.tasks=%d,"))-1], ","),
			"--set jobs.x.tasks=1000: more than 1000 --set flags: the limit of a run"},
		{"set path", base, []string{strings.Repeat("a.", 10) + "a=1"},
			"--set " + strings.Repeat("a.", 10) + "a=1: key path of 11 segments, more than the limit of 10"},
		{"set value", base, []string{"jobs.x.duration=" + nest(11)},
			"--set jobs.x.duration=" + nest(11) + ": value: nested more than 10 deep (tables, arrays and dotted keys together): the limit of a scenario"},
		{"errors", base + repeat(25, "k%02d = 1\n"), nil, strings.TrimSuffix(repeat(20, "s.toml:%[1]d:1: k%[1]d: unknown key\n"), "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.src, tt.sets...)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.name == "errors" {
				checkErrorCap(t, err.Error())
				return
			}
			if err.Error() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

// checkErrorCap: 25 unknown keys give 20 lines and a count of the rest.
func checkErrorCap(t *testing.T, msg string) {
	t.Helper()
	lines := strings.Split(msg, "\n")
	if len(lines) != scenarios.MaxErrors+1 || lines[len(lines)-1] != "s.toml: 5 more problems not shown" {
		t.Fatalf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
	for _, l := range lines[:scenarios.MaxErrors] {
		if !strings.Contains(l, ": unknown key") {
			t.Fatalf("line %q", l)
		}
	}
}

// TestWithinLimits: documents at the caps load (or fail for other reasons
// than the caps).
func TestWithinLimits(t *testing.T) {
	nest := strings.Repeat("{ a = ", 9) + "1" + strings.Repeat(" }", 9)
	for _, src := range []string{
		strings.Replace(base, `duration = "1d2h"`, `duration = "1d2h"`+"\n"+strings.Repeat("k", 128)+" = 1", 1),
		"x = " + nest + "\n" + base,
		base + "[" + strings.Repeat("a.", 9) + "a]\n",
		strings.Replace(base, `horizon = "2d"`, `horizon = "3650d"`, 1),
		strings.Replace(base, `name = "b"`, `name = "`+strings.Repeat("b", 64)+`"`, 1),
	} {
		_, err := load(t, src)
		if err != nil && strings.Contains(err.Error(), "limit") {
			t.Errorf("refused for a limit: %v", err)
		}
	}
}

func TestScenarioFileSize(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", scenarios.MaxScenarioBytes+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%s: file is %d bytes, more than the limit of %d", big, scenarios.MaxScenarioBytes+1, scenarios.MaxScenarioBytes)
	if _, err := scenarios.Open(big); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	// A device is refused, not read.
	if _, err := os.Stat("/dev/zero"); err == nil {
		want := "/dev/zero: is a device, not a scenario file"
		if _, err := scenarios.Open("/dev/zero"); err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	}
}

// TestScenarioFIFO: a named pipe given as the scenario is refused at once;
// it used to wait forever for a writer.
func TestScenarioFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "s.toml")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("named pipes: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := scenarios.Open(fifo); done <- err }()
	select {
	case err := <-done:
		if want := fifo + ": is a named pipe, not a scenario file"; err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open of a named pipe hangs")
	}
}

func TestDataFileLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rows.csv", strings.Repeat("1\n", scenarios.MaxFileRows+1))
	write("line.csv", "1\n"+strings.Repeat("9", 1<<20+1)+"\n")
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, nil, 0o644); err != nil || os.Truncate(big, scenarios.MaxFileBytes+1) != nil {
		t.Fatal("cannot make a sparse file")
	}
	tests := []struct{ file, want string }{
		{"rows.csv", fmt.Sprintf("rows.csv: more than %d rows", scenarios.MaxFileRows)},
		{"line.csv", "line.csv: bufio.Scanner: token too long"},
		{"big.csv", fmt.Sprintf(`"big.csv" is %d bytes, more than the limit of %d`, scenarios.MaxFileBytes+1, scenarios.MaxFileBytes)},
	}
	for _, tt := range tests {
		src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "`+tt.file+`" }`, 1)
		d, err := scenarios.ParseDoc("s.toml", src, dir)
		if err != nil {
			t.Fatal(err)
		}
		want := "s.toml:41:34: jobs.y.duration.file: " + tt.want
		if _, err := d.Scenario(); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", tt.file, err, want)
		}
	}
}

// TestSetValueIsOneValue: a --set value that smuggles in more TOML (a
// newline and another key) is one string, not a value plus ignored keys.
func TestSetValueIsOneValue(t *testing.T) {
	_, err := load(t, base, "jobs.x.tasks=5\nname = \"y\"")
	want := `--set jobs.x.tasks=5\nname = "y": jobs.x.tasks: must be an integer, got a string`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

// TestLongValueShortened: an error about a 3 MiB value shows its first
// bytes and "…", not the whole value; the same for a --set flag.
func TestLongValueShortened(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	src := strings.Replace(base, `vm_size = "Standard_D4s_v5"`, `vm_size = "`+long+`"`, 1)
	if src == base {
		t.Fatal("base has no vm_size to replace")
	}
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		if msg := err.Error(); len(msg) > 400 || !strings.Contains(msg, strings.Repeat("x", scenarios.ShownHead-2)+"…") {
			t.Errorf("%s: a %d-byte message: %.300s", what, len(msg), msg)
		}
	}
	_, err := scenarios.ParseDoc("s.toml", src, "")
	if err == nil {
		d, _ := scenarios.ParseDoc("s.toml", src, "")
		_, err = d.Scenario()
	}
	check("the file", err)
	d, err := scenarios.ParseDoc("s.toml", base, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Scenario(scenarios.Set{Path: "pools.b.vm_size", Value: `"` + long + `"`})
	check("--set", err)
}

// TestStartNeedsOffset: simulation.start is an instant, so a local date or
// time without a UTC offset is refused, as docs/scenario.md says.
func TestStartNeedsOffset(t *testing.T) {
	for _, tt := range []struct{ value, want string }{
		{"2025-01-06T08:00:00Z", ""},
		{"2025-01-06T08:00:00+02:00", ""},
		{"2025-01-06T08:00:00", "must be a date and time with its offset"},
		{"2025-01-06", "must be a date and time with its offset"},
		{"08:00:00", "must be a date and time with its offset"},
	} {
		src := strings.Replace(base, "seed = 3\n", "seed = 3\nstart = "+tt.value+"\n", 1)
		d, err := scenarios.ParseDoc("s.toml", src, "")
		if err == nil {
			_, err = d.Scenario()
		}
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.value, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), "simulation.start: "+tt.want)):
			t.Errorf("%s: got %v, want simulation.start: %s", tt.value, err, tt.want)
		}
	}
}
