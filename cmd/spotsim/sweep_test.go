package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sweepFile writes report/testdata/small.toml with a [sweep] table into a
// temporary folder and returns its path.
func sweepFile(t *testing.T, sweep string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "report", "testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sweep.toml")
	if err := os.WriteFile(path, append(src, []byte("\n[sweep]\n"+sweep)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const smallSweep = `pools.main.target_low_priority_nodes = [0, 4, 8]
pools.main.target_dedicated_nodes = [1, 3]
deadline = "3h"
percentile = 95
`

// sweepJSON is the part of sweep.json the tests read.
type sweepJSON struct {
	Points  int `json:"points"`
	Results []struct {
		Index  int      `json:"index"`
		Values []string `json:"values"`
		Cost   struct {
			Mean float64 `json:"mean"`
		} `json:"cost_usd"`
		Completion struct {
			Mean float64 `json:"mean"`
		} `json:"completion_time_hours"`
	} `json:"results"`
	Frontier       []int `json:"frontier"`
	Recommendation *struct {
		Index *int   `json:"index"`
		Text  string `json:"text"`
	} `json:"recommendation"`
}

func TestSweepSameForAnyWorkers(t *testing.T) {
	file := sweepFile(t, smallSweep)
	dirs := sameForWorkers(t, []string{"sweep", file}, "Cheapest point meeting the deadline of 3 h at p95",
		"sweep.csv", "sweep.json", "report.md", "report.html", "frontier.png", "heatmap.png")
	var sw sweepJSON
	data, _ := os.ReadFile(filepath.Join(dirs[0], "sweep.json"))
	if err := json.Unmarshal(data, &sw); err != nil {
		t.Fatal(err)
	}
	if sw.Points != 6 || len(sw.Results) != 6 {
		t.Fatalf("%d points, %d results; want 6", sw.Points, len(sw.Results))
	}
	// the first axis varies slowest
	if got := sw.Results[3].Values; got[0] != "4" || got[1] != "3" {
		t.Errorf("point 3 values %v, want [4 3]", got)
	}
	csv, _ := os.ReadFile(filepath.Join(dirs[0], "sweep.csv"))
	if lines := strings.Count(string(csv), "\n"); lines != 7 {
		t.Errorf("sweep.csv has %d lines, want a header and 6 rows", lines)
	}
}

// TestSweepPointIsItsRun: every point runs on the scenario's seed, so a
// point's numbers are those of spotsim run with the same overrides.
func TestSweepPointIsItsRun(t *testing.T) {
	file := sweepFile(t, smallSweep)
	code, stdout, stderr := cli(t, "sweep", file, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sw sweepJSON
	if err := json.Unmarshal([]byte(stdout), &sw); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = cli(t, "run", file, "--set", "pools.main.target_low_priority_nodes=4",
		"--set", "pools.main.target_dedicated_nodes=3", "--format", "json")
	if code != 0 {
		t.Fatalf("run of a scenario with [sweep]: exit %d: %s", code, stderr)
	}
	var sum struct {
		Scenario struct {
			Cost struct {
				Mean float64 `json:"mean"`
			} `json:"cost_usd"`
			Completion struct {
				Mean float64 `json:"mean"`
			} `json:"completion_time_hours"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	p := sw.Results[3]
	if p.Cost.Mean != sum.Scenario.Cost.Mean || p.Completion.Mean != sum.Scenario.Completion.Mean {
		t.Errorf("point 3: cost %v, completion %v; run: %v, %v", p.Cost.Mean, p.Completion.Mean, sum.Scenario.Cost.Mean, sum.Scenario.Completion.Mean)
	}
}

// TestSweepDeadline: the recommendation moves to faster, dearer points as
// the deadline tightens, and says so when no point meets it. More dedicated
// nodes finish sooner and cost more (boot and idle tails), so every point
// is on the frontier.
func TestSweepDeadline(t *testing.T) {
	file := sweepFile(t, "pools.main.target_dedicated_nodes = [1, 2, 4, 8]\n")
	for _, tc := range []struct {
		deadline string
		want     int // recommended point, -1 for none
	}{{"100h", 0}, {"2.5h", 1}, {"2h", 2}, {"1.5h", 3}, {"1h", -1}} {
		code, stdout, stderr := cli(t, "sweep", file, "--deadline", tc.deadline, "--format", "json")
		if code != 0 {
			t.Fatalf("--deadline %s: exit %d: %s", tc.deadline, code, stderr)
		}
		var sw sweepJSON
		if err := json.Unmarshal([]byte(stdout), &sw); err != nil {
			t.Fatal(err)
		}
		if len(sw.Frontier) != 4 {
			t.Errorf("frontier %v, want all 4 points", sw.Frontier)
		}
		r := sw.Recommendation
		switch {
		case r == nil:
			t.Errorf("--deadline %s: no recommendation", tc.deadline)
		case tc.want < 0 && (r.Index != nil || !strings.HasPrefix(r.Text, "No point meets the deadline of 1 h at p95. The fastest at p95 is point 3")):
			t.Errorf("--deadline %s: %v %s", tc.deadline, r.Index, r.Text)
		case tc.want >= 0 && (r.Index == nil || *r.Index != tc.want):
			t.Errorf("--deadline %s: recommends %v, want %d: %s", tc.deadline, r.Index, tc.want, r.Text)
		}
	}
}

// journalPoints lists the points journaled in dir/.spotsim-journal.
func journalPoints(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, ".spotsim-journal"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "point-") && strings.HasSuffix(e.Name(), ".json") {
			out = append(out, e.Name())
		}
	}
	return out
}

// failFinalWrite makes dir/sweep.json a folder, so a sweep into dir runs
// every point, then fails to write its outputs (exit 1), keeping its
// journal.
func failFinalWrite(t *testing.T, file, dir string, args ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "sweep.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, append([]string{"sweep", file, "--out", dir}, args...)...)
	if code != 1 || !strings.Contains(stderr, "sweep.json") {
		t.Fatalf("sweep into a folder with sweep.json a folder: exit %d: %s", code, stderr)
	}
	if n := len(journalPoints(t, dir)); n != 6 {
		t.Fatalf("%d points journaled after a failed write, want 6", n)
	}
	os.Remove(filepath.Join(dir, "sweep.json"))
	os.Remove(filepath.Join(dir, "sweep.csv"))
}

// TestSweepResumesFromItsJournal: a sweep whose outputs could not be
// written keeps its journal; the same command then takes every point from
// it, runs again only a point whose record is torn (and says so), keeps the
// good points of a journal whose journal.json is torn (and says so), cleans
// up the leftovers of a killed write, writes the outputs of an
// uninterrupted run and removes the journal.
func TestSweepResumesFromItsJournal(t *testing.T) {
	file := sweepFile(t, smallSweep)
	ref := t.TempDir()
	if code, _, stderr := cli(t, "sweep", file, "--out", ref); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := t.TempDir()
	failFinalWrite(t, file, dir)
	code, _, stderr := cli(t, "sweep", file, "--out", dir)
	if code != 0 || !strings.Contains(stderr, "spotsim sweep: resumed: 6 of 6 points from the journal in "+filepath.Join(dir, ".spotsim-journal")+"; running the other 0") {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	sameOutputs(t, "resumed", ref, dir)
	if _, err := os.Stat(filepath.Join(dir, ".spotsim-journal")); !os.IsNotExist(err) {
		t.Errorf("the journal outlives the sweep: %v", err)
	}

	torn := t.TempDir()
	failFinalWrite(t, file, torn)
	j := filepath.Join(torn, ".spotsim-journal")
	data, _ := os.ReadFile(filepath.Join(j, "point-2.json"))
	os.WriteFile(filepath.Join(j, "point-2.json"), data[:len(data)/2], 0o644)
	os.WriteFile(filepath.Join(j, ".point-5.json.tmp-123"), []byte("{"), 0o644)
	data, _ = os.ReadFile(filepath.Join(j, "journal.json"))
	os.WriteFile(filepath.Join(j, "journal.json"), data[:len(data)/2], 0o644)
	code, _, stderr = cli(t, "sweep", file, "--out", torn)
	for _, want := range []string{
		"spotsim sweep: journal: " + filepath.Join(j, "journal.json") + " is torn (a write cut short); keeping the journaled points of this sweep",
		"spotsim sweep: journal: " + filepath.Join(j, "point-2.json") + " is torn (a write cut short); running point 2 again",
		"resumed: 5 of 6 points",
	} {
		if code != 0 || !strings.Contains(stderr, want) {
			t.Fatalf("resume with a torn point and journal.json: exit %d, %s; want %q", code, stderr, want)
		}
	}
	sameOutputs(t, "resumed after tears", ref, torn)
	if _, err := os.Stat(j); !os.IsNotExist(err) {
		t.Errorf("the journal outlives the sweep: %v", err)
	}
}

// TestSweepRefusesAnEditedJournalPoint: a journaled point with one number
// changed (still valid JSON, the right fingerprint) is refused with exit 2,
// naming its file, and nothing is written; deleting the file runs that
// point again.
func TestSweepRefusesAnEditedJournalPoint(t *testing.T) {
	file := sweepFile(t, smallSweep)
	ref := t.TempDir()
	if code, _, stderr := cli(t, "sweep", file, "--out", ref); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := t.TempDir()
	failFinalWrite(t, file, dir)
	point := filepath.Join(dir, ".spotsim-journal", "point-4.json")
	data, err := os.ReadFile(point)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	rec["point"].(map[string]any)["cost_usd"].(map[string]any)["mean"] = 12345.5
	data, _ = json.Marshal(rec)
	os.WriteFile(point, data, 0o644)
	code, _, stderr := cli(t, "sweep", file, "--out", dir)
	want := "spotsim sweep: " + point + " was changed after spotsim wrote it (its checksum does not match its records); delete it to run point 4 again"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Fatalf("edited point: exit %d, %s; want 2 and %q", code, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep.json")); !os.IsNotExist(err) {
		t.Errorf("a refused resume wrote sweep.json: %v", err)
	}
	os.Remove(point)
	if code, _, stderr := cli(t, "sweep", file, "--out", dir); code != 0 || !strings.Contains(stderr, "resumed: 5 of 6 points") {
		t.Fatalf("after deleting the edited point: exit %d, %s", code, stderr)
	}
	sameOutputs(t, "resumed without the edited point", ref, dir)
}

// TestSweepRefusesAnotherSweepsJournal: a journal of another sweep (here
// another seed) in --out is refused with exit 2 and a message saying what
// to do; --restart discards it and starts over.
func TestSweepRefusesAnotherSweepsJournal(t *testing.T) {
	file := sweepFile(t, smallSweep)
	dir := t.TempDir()
	failFinalWrite(t, file, dir)
	code, stdout, stderr := cli(t, "sweep", file, "--seed", "7", "--out", dir)
	want := "spotsim sweep: " + filepath.Join(dir, ".spotsim-journal") + " holds 6 finished points of a different sweep"
	if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "add --restart to discard it") || stdout != "" {
		t.Fatalf("exit %d: %s; want 2 and %q", code, stderr, want)
	}
	if n := len(journalPoints(t, dir)); n != 6 {
		t.Errorf("a refused run touched the journal: %d points left", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep.json")); err == nil {
		t.Error("a refused run wrote sweep.json")
	}
	code, _, stderr = cli(t, "sweep", file, "--seed", "7", "--out", dir, "--restart")
	if code != 0 || strings.Contains(stderr, "resumed") {
		t.Fatalf("--restart: exit %d: %s", code, stderr)
	}
	var sw struct {
		Seed uint64 `json:"seed"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sweep.json"))
	if json.Unmarshal(b, &sw); sw.Seed != 7 {
		t.Errorf("--restart: sweep.json of seed %d", sw.Seed)
	}
	if _, err := os.Stat(filepath.Join(dir, ".spotsim-journal")); !os.IsNotExist(err) {
		t.Errorf("the journal outlives the sweep: %v", err)
	}
}

// TestHelperSpotsim is not a test: the subprocess tests run the test binary
// again with SPOTSIM_HELPER=1 to get a spotsim process they can signal.
func TestHelperSpotsim(t *testing.T) {
	if os.Getenv("SPOTSIM_HELPER") != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(runMain(&env{stdout: os.Stdout, stderr: os.Stderr}, args))
}

// TestSweepSurvivesKill: a sweep killed with SIGKILL, or stopped with
// SIGINT or SIGTERM, once some points are journaled, resumes with the same
// command, takes those points from the journal and writes the bytes of an
// uninterrupted sweep. SIGINT and SIGTERM exit 1 saying how many points are
// done, and every one of them is in the journal.
func TestSweepSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals: POSIX only")
	}
	file := sweepFile(t, "pools.main.target_low_priority_nodes = [0, 2, 4, 6, 8, 10]\npools.main.target_dedicated_nodes = [1, 3]\n")
	args := []string{"sweep", file, "--reps", "60", "--set", "jobs.render.tasks=1000"}
	ref := t.TempDir()
	if code, _, stderr := cli(t, append(args, "--out", ref)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperSpotsim$", "--"}, append(args, "--workers", "1", "--out", dir)...)...)
		cmd.Env = append(os.Environ(), "SPOTSIM_HELPER=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var err error
	wait:
		for {
			select {
			case err = <-exited:
				t.Fatalf("%v: the sweep ended before it was signalled (%v): %s", sig, err, stderr.String())
			case <-time.After(2 * time.Millisecond):
				if len(journalPoints(t, dir)) >= 2 {
					break wait
				}
			}
		}
		cmd.Process.Signal(sig)
		err = <-exited
		journaled := len(journalPoints(t, dir))
		if journaled < 2 || journaled >= 12 {
			t.Fatalf("%v: %d of 12 points journaled", sig, journaled)
		}
		if _, serr := os.Stat(filepath.Join(dir, "sweep.json")); serr == nil {
			t.Errorf("%v: an interrupted sweep wrote sweep.json", sig)
		}
		var ee *exec.ExitError
		switch {
		case !errors.As(err, &ee):
			t.Fatalf("%v: %v", sig, err)
		case sig == syscall.SIGKILL && ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL:
			t.Errorf("SIGKILL: %v", err)
		case sig != syscall.SIGKILL:
			want := fmt.Sprintf("spotsim sweep: interrupted: %d of 12 points done; run the same command again to resume\n", journaled)
			if ee.ExitCode() != 1 || !strings.HasSuffix(stderr.String(), want) {
				t.Errorf("%v: exit %d, stderr %q; want 1 and %q", sig, ee.ExitCode(), stderr.String(), want)
			}
		}
		code, _, errs := cli(t, append(args, "--out", dir)...)
		if want := fmt.Sprintf("resumed: %d of 12 points from the journal", journaled); code != 0 || !strings.Contains(errs, want) {
			t.Fatalf("%v: resume: exit %d: %s; want %q", sig, code, errs, want)
		}
		sameOutputs(t, "resumed after "+sig.String(), ref, dir)
		if ents, _ := os.ReadDir(dir); len(ents) != len(sweepOutputs)+1 {
			t.Errorf("%v: %d entries in the output folder after the resumed sweep, want the %d outputs and the manifest", sig, len(ents), len(sweepOutputs))
		}
	}
}

// TestSweepNamesQuotaCaps: a point that the default core quota caps says
// so, so a sweep never shows a capped setup as the one asked for.
func TestSweepNamesQuotaCaps(t *testing.T) {
	// No [quotas]: every point runs the pool it asks for; the one over
	// Azure's default low-priority quota carries a warning saying so.
	code, stdout, stderr := cli(t, "sweep", "default", "--reps", "3", "--set", "pools.main.target_low_priority_nodes=10,40")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "point 1: QUOTA WARNING: pool main asks for 40 low-priority nodes (160 cores), more than Azure Batch's default low-priority quota per account, 100 cores, which would allow 25 nodes") ||
		strings.Contains(stdout, "point 0: QUOTA") || strings.Contains(stdout, "ran as") {
		t.Fatalf("quota warnings wrong:\n%s", stdout)
	}
	// With the quota set, the capped point says what it ran as.
	code, stdout, stderr = cli(t, "sweep", "default", "--reps", "3", "--set", "pools.main.target_low_priority_nodes=10,40", "--set", "quotas.low_priority_cores=100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "point 1: QUOTA: pool main ran as 25 low-priority nodes (capped by the low-priority quota)") || strings.Contains(stdout, "point 0: QUOTA") {
		t.Fatalf("quota notes wrong:\n%s", stdout)
	}
}

// TestSweepReports: sweep --out writes report.md and report.html (the
// recommendation, what ran, the charts and the table); --format md prints
// report.md without its charts; a point none of whose runs finish has
// empty cells in sweep.csv and nulls in sweep.json, never 0 h or $0.
func TestSweepReports(t *testing.T) {
	file := sweepFile(t, `pools.main.target_low_priority_nodes = [0, 4]
pools.main.target_dedicated_nodes = [0, 2]
deadline = "3h"
`)
	dir := t.TempDir()
	code, _, stderr := cli(t, "sweep", file, "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	var js sweepJSON
	data, _ := os.ReadFile(filepath.Join(dir, "sweep.json"))
	if err := json.Unmarshal(data, &js); err != nil || js.Recommendation == nil {
		t.Fatalf("sweep.json: %v", err)
	}
	for _, want := range []string{"# spotsim sweep: small", "**" + strings.ReplaceAll(js.Recommendation.Text, "*", `\*`) + "**",
		"4 points, 20 replications each, seed 42", "![Cost against completion time, with the Pareto front](frontier.png)",
		"(heatmap.png)", "## Points", "| 0 | 0 | 0 | none finished | not reached | – |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	for _, want := range []string{"<title>spotsim sweep: small</title>", `id="recommendation"`, `<table id="points">`,
		`src="data:image/png;base64,`, `<p hidden id="report-status">pending</p>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if !runInfoRe.Match(md) || !runInfoRe.Match(page) || strings.Contains(string(data), "Run by") {
		t.Errorf("the build, date and command line belong in report.md and report.html, never in sweep.json")
	}
	code, stdout, stderr := cli(t, "sweep", file, "--format", "md")
	if code != 0 || !strings.HasPrefix(stdout, "# spotsim sweep: small") || strings.Contains(stdout, "](frontier.png)") {
		t.Errorf("--format md: exit %d, %s\n%s", code, stderr, stdout)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	row := strings.Split(string(csv), "\n")[1]
	if !strings.HasPrefix(row, "0,0,0,20,0,20,,,,,,,,,,,,,,,,,0,") {
		t.Errorf("sweep.csv row of the point that never finishes: %s", row)
	}
	var raw map[string]any
	json.Unmarshal(data, &raw)
	p0 := raw["results"].([]any)[0].(map[string]any)
	for _, k := range []string{"completion_time_hours", "cost_usd"} {
		if m := p0[k].(map[string]any); m["mean"] != nil || m["p95"] != nil {
			t.Errorf("sweep.json point 0 %s: %v, want null mean and p95", k, m)
		}
	}
}
