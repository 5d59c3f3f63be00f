package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/scenarios"
)

func init() {
	register(&command{
		name:  "sweep",
		usage: "[FILE|NAME] [--set PATH=V1,V2,...]... [--deadline D] [--percentile P] [--reps N] [--seed N] [--workers N] [--format table|csv|json] [--out DIR] [--shard I/N] [--restart]",
		short: "run every point of a grid of scenario variants; print the cost/time frontier and the cheapest point meeting a deadline",
		long: `The grid is the scenario's [sweep] table, one array of values per key, keys by dotted path
as --set takes them (pools and jobs by name):

  [sweep]
  pools.main.target_low_priority_nodes = [0, 5, 10, 20]
  pools.main.task_scheduling = ["spread", "pack"]
  deadline = "6h"     # recommend the cheapest point meeting it...
  percentile = 95     # ...at this percentile of completion time

and --set flags. On sweep, commas outside brackets, braces and quotes separate the values of
an axis: --set pools.main.target_low_priority_nodes=0,10,20 sweeps three values (it replaces
an axis of the same key from the file), while --set x=5 fixes a key for every point and
--set x=[1,2] gives it one array value, as on spotsim run.

Every point runs the same replications with the same seed (common random numbers), paired
with its own dedicated-only baseline; points and replications share --workers and the results
are byte-identical for any worker count. --deadline and --percentile override [sweep]'s.
With --out DIR, sweep.csv and sweep.json (one record per point, in point order: the first axis
varies slowest), frontier.png (mean cost against completion time at the percentile, the
Pareto front drawn and labelled) and, when exactly two keys vary, heatmap.png of the savings
are written there.

With --out, each finished point is journaled in DIR/.spotsim-journal/ as soon as it is done.
SIGINT or SIGTERM (Ctrl-C, a node drained before a spot eviction, kubectl delete) lets the replications in
flight finish, journals their points and exits 1 ("interrupted: N of M points done"); a
second one exits at once. The same command run again takes the journaled points instead of
running them and writes the same bytes as an uninterrupted sweep; the journal of another
sweep (another scenario, data file, [sweep], --set, --reps, --seed, --deadline or
--percentile) is refused unless --restart discards it. A finished sweep removes its journal.

--shard I/N runs only the points K with K mod N = I and writes them, with what merge needs,
to DIR/shard-I-of-N.json (journaled as above, in DIR/.spotsim-journal-shard-I-of-N/). Run
shards 0 to N-1 anywhere, with the same scenario and flags, then spotsim merge DIR... --out
DIR writes the outputs of the whole sweep, byte-identical to a sweep run in one piece. See
deploy/README.md for a Kubernetes Indexed Job and an Azure Batch job.`,
		run: sweepCmd,
	})
}

func sweepCmd(e *env, args []string) error {
	c := find("sweep")
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	var sets multiFlag
	fs.Var(&sets, "set", "sweep a scenario key over `PATH=V1,V2,...` (one value: fix it; repeatable)")
	reps := fs.String("reps", "", "replications per point (overrides simulation.replications)")
	seed := fs.String("seed", "", "seed of every point (overrides simulation.seed)")
	deadline := fs.String("deadline", "", "recommend the cheapest point meeting this `DURATION` (overrides [sweep] deadline)")
	percentile := fs.Float64("percentile", 0, "percentile of completion time the deadline applies to, in (0, 100] (default [sweep]'s, else 95)")
	workers := fs.Int("workers", 0, "goroutines running replications (0 = one per CPU); results do not depend on it")
	out := fs.String("out", "", "write sweep.csv, sweep.json, frontier.png (and heatmap.png) to `DIR`")
	format := fs.String("format", "table", "stdout format: table, csv or json (with --shard: table or json, the shard file)")
	shardFlag := fs.String("shard", "", "run only shard `I/N` of the points (point K is in shard K mod N) and write shard-I-of-N.json to --out, for spotsim merge")
	restart := fs.Bool("restart", false, "discard the journal of an interrupted sweep in --out (of this or another sweep) and start over")
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	shard, shards := 0, 1
	if *shardFlag != "" {
		if shard, shards, err = parseShard(*shardFlag); err != nil {
			return badInput(err)
		}
		if *out == "" {
			return badInput(fmt.Errorf("--shard %s needs --out DIR: the shard's points go to DIR/%s for spotsim merge", *shardFlag, report.ShardFile(shard, shards)))
		}
		if *format == "csv" {
			return badInput(fmt.Errorf("--format csv: a shard has no frontier or recommendation yet; spotsim merge writes sweep.csv from all the shards"))
		}
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return badInput(fmt.Errorf("--format %s: want table, csv or json", *format))
	}
	if *workers < 0 {
		return badInput(fmt.Errorf("--workers %d: want 0 (one per CPU) or more", *workers))
	}
	if len(pos) > 1 {
		return badInput(fmt.Errorf("spotsim sweep: one scenario at a time, got %d (%v)", len(pos), pos))
	}
	arg := ""
	if len(pos) == 1 {
		arg = pos[0]
	}
	doc, err := scenarios.Open(arg)
	if err != nil {
		return badInput(err)
	}
	sw, err := doc.Sweep()
	if err != nil {
		return badInput(err)
	}
	var base []scenarios.Set
	for _, s := range sets {
		a, err := scenarios.ParseAxis(s)
		if err != nil {
			return badInput(err)
		}
		if len(a.Values) == 1 {
			sw.Remove(a.Path)
			base = append(base, scenarios.Set{Path: a.Path, Value: a.Values[0]})
			continue
		}
		sw.Set(a)
	}
	for _, o := range []struct{ flag, path, v string }{{"--reps", "simulation.replications", *reps}, {"--seed", "simulation.seed", *seed}} {
		if o.v == "" {
			continue
		}
		if _, err := strconv.ParseUint(o.v, 10, 64); err != nil {
			return badInput(fmt.Errorf("%s %s: want a non-negative whole number", o.flag, o.v))
		}
		base = append(base, scenarios.Set{Path: o.path, Value: o.v})
	}
	if *deadline != "" {
		d, err := dist.ParseDuration(*deadline)
		if err != nil || d <= 0 {
			return badInput(fmt.Errorf("--deadline %s: want a positive duration such as 6h or 1d12h", *deadline))
		}
		sw.Deadline = d
	}
	if *percentile != 0 {
		if !(*percentile > 0 && *percentile <= 100) {
			return badInput(fmt.Errorf("--percentile %v: want a number above 0 and at most 100", *percentile))
		}
		sw.Percentile = *percentile
	}
	points, err := doc.Scenarios(sw, base...)
	if err != nil {
		return badInput(err)
	}
	return runSweep(e, sw, points, sweepOptions{workers: *workers, format: *format, out: *out,
		shard: shard, shards: shards, sharded: *shardFlag != "", restart: *restart})
}

// sweepOptions are the flags that say how a sweep runs, not what it is.
type sweepOptions struct {
	workers       int
	format, out   string
	shard, shards int // shard of shards (0 of 1 unsharded)
	sharded       bool
	restart       bool
}

// parseShard parses --shard I/N.
func parseShard(s string) (int, int, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || b > report.MaxShards || a < 0 || a >= b {
		return 0, 0, fmt.Errorf("--shard %s: want I/N with 0 <= I < N <= %d, for example 0/4 (the first of four shards)", s, report.MaxShards)
	}
	return a, b, nil
}

// runSweep runs this shard's points (every point unsharded) that its journal
// does not already hold, journaling each as it finishes, then writes the
// shard file, or builds the outputs through the same merge as spotsim
// merge, so a sweep in one piece, resumed or not, and merged shards give
// the same bytes.
func runSweep(e *env, sw *scenarios.Sweep, points []*model.Scenario, o sweepOptions) error {
	part := shardHeader(sw, points, o.shard, o.shards)
	var mine []int
	for k := range points {
		if report.InShard(k, o.shard, o.shards) {
			mine = append(mine, k)
		}
	}
	what := fmt.Sprintf("%d points", len(mine))
	if o.sharded {
		what = fmt.Sprintf("%d points of shard %d/%d", len(mine), o.shard, o.shards)
	}
	var j *journal
	have := map[int]report.SweepPoint{}
	if o.out != "" {
		var err error
		j, have, err = openJournal(journalDir(o), journalHead{Format: journalFormat, Fingerprint: part.Fingerprint,
			Name: part.Name, Points: len(mine), Shard: shardText(o)}, o.restart, len(part.Axes), mine)
		if err != nil {
			return err
		}
	}
	var todo []int
	for _, k := range mine {
		if _, ok := have[k]; !ok {
			todo = append(todo, k)
		}
	}
	if len(have) > 0 {
		fmt.Fprintf(e.stderr, "spotsim sweep: resumed: %d of %s from the journal in %s; running the other %d\n", len(have), what, j.dir, len(todo))
	}
	got, err := runPoints(e, sw, points, todo, len(have), len(mine), o.workers, j)
	if err != nil {
		if errors.Is(err, runner.ErrStopped) {
			done := len(have) + len(got)
			if j == nil {
				return fmt.Errorf("spotsim sweep: interrupted: %d of %s done; without --out nothing is kept", done, what)
			}
			return fmt.Errorf("spotsim sweep: interrupted: %d of %s done; run the same command again to resume", done, what)
		}
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	got = append([]report.SweepPoint{}, got...) // an empty shard's results are [], not null
	for _, p := range have {
		got = append(got, p)
	}
	slices.SortFunc(got, func(a, b report.SweepPoint) int { return a.Index - b.Index })
	part.Results = got
	if o.sharded {
		err = writeShard(e, part, o)
	} else {
		err = writeMerged(e, "sweep", []*report.SweepShard{part}, o.format, o.out)
	}
	if err != nil {
		return err
	}
	j.remove()
	return nil
}

// shardHeader is the shard's file before its points are in: the sweep's
// settings and fingerprint.
func shardHeader(sw *scenarios.Sweep, points []*model.Scenario, shard, shards int) *report.SweepShard {
	first := points[0]
	h := &report.SweepShard{Format: report.SweepShardFormat, Shard: shard, Shards: shards,
		Name: first.Name, Description: first.Description, Seed: first.Seed, Replications: first.Replications,
		Points: len(points), Percentile: sw.Percentile, DeadlineHours: sw.Deadline.Hours(), Results: []report.SweepPoint{}}
	for _, p := range points {
		if p.Replications != h.Replications {
			h.Replications = 0 // swept
		}
	}
	for _, a := range sw.Axes {
		h.Axes = append(h.Axes, report.SweepAxis{Path: a.Path, Values: a.Values})
	}
	h.Fingerprint = report.SweepFingerprint(points, h.Axes, sw.Percentile, sw.Deadline)
	return h
}

// runPoints runs the points of todo (indices into points) and returns their
// records, in no particular order, journaling each as it finishes. SIGINT
// or SIGTERM stops it early (runner.ErrStopped) with the points finished so
// far returned and journaled; a second one exits at once.
func runPoints(e *env, sw *scenarios.Sweep, points []*model.Scenario, todo []int, before, total, workers int, j *journal) ([]report.SweepPoint, error) {
	if len(todo) == 0 {
		return nil, nil
	}
	st := newStopper()
	release := onInterrupt(e, st, j)
	defer release()
	if j != nil {
		j.start(len(todo), st.stop)
	}
	sub := make([]*model.Scenario, len(todo))
	for i, k := range todo {
		sub[i] = points[k]
	}
	prog := newProgress(e, points[0].Name)
	var mu sync.Mutex
	var got []report.SweepPoint
	err := runner.SweepUntil(sub, workers, st.ch, func(pointsDone, _, repsDone, reps int) {
		prog.sweep(before+pointsDone, total, repsDone, reps)
	}, func(i int, runs *runner.Runs) {
		k := todo[i]
		values := []string{}
		for _, s := range sw.Point(k) {
			values = append(values, s.Value)
		}
		p := report.NewSweepPoint(k, values, points[k], runs, sw.Percentile, sw.Deadline)
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
		if j != nil {
			j.add(p)
		}
	})
	prog.done()
	if j != nil {
		if jerr := j.close(); jerr != nil {
			return nil, fmt.Errorf("journal: %v", jerr)
		}
	}
	return got, err
}

// stopper is closed once, by whichever asks first.
type stopper struct {
	once sync.Once
	ch   chan struct{}
}

func newStopper() *stopper { return &stopper{ch: make(chan struct{})} }

func (s *stopper) stop() { s.once.Do(func() { close(s.ch) }) }

// onInterrupt makes SIGINT and SIGTERM stop the sweep: the first lets the
// replications in flight finish and journals the points they complete; a
// second exits at once, once a journal write in progress is through.
// release restores the default handling.
func onInterrupt(e *env, st *stopper, j *journal) (release func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		for n := 1; ; n++ {
			select {
			case <-quit:
				return
			case s := <-ch:
				if n == 1 {
					msg := "finishing the replications in flight"
					if j != nil {
						msg += " and journaling the points they complete"
					}
					if e.stderrIsTTY {
						fmt.Fprintln(e.stderr) // past the progress line
					}
					fmt.Fprintf(e.stderr, "spotsim sweep: %v: %s (interrupt again to exit at once)\n", s, msg)
					st.stop()
					continue
				}
				if j != nil {
					j.mu.Lock() // a point being written is written whole
				}
				fmt.Fprintf(e.stderr, "spotsim sweep: %v again: exiting now; run the same command again to resume\n", s)
				os.Exit(1)
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(quit)
	}
}

// writeShard writes shard-I-of-N.json to the output folder and says so.
func writeShard(e *env, part *report.SweepShard, o sweepOptions) error {
	data, err := part.JSON()
	if err != nil {
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	name := report.ShardFile(o.shard, o.shards)
	if err := outfile.WriteAll(o.out, []outfile.File{{Name: name, Data: data}}); err != nil {
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	if o.format == "json" {
		_, err = e.stdout.Write(data)
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "spotsim sweep: %s, shard %d/%d: %d of the %d points (those whose index is %d mod %d)\n",
		part.Name, o.shard, o.shards, len(part.Results), part.Points, o.shard, o.shards)
	fmt.Fprintf(&b, "wrote %s in %s; once all %d shards are done, spotsim merge FOLDER... --out DIR combines them\n", name, o.out, o.shards)
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// writeMerged merges shards (one, for a sweep run in one piece) as they
// would be read from their files, then writes the outputs and stdout.
func writeMerged(e *env, cmd string, shards []*report.SweepShard, format, out string) error {
	read := make([]*report.SweepShard, len(shards))
	for i, s := range shards {
		r, err := s.RoundTrip()
		if err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		read[i] = r
	}
	res, err := report.MergeSweep(read)
	if err != nil {
		return badInput(prefixLines("spotsim "+cmd+": ", err))
	}
	return writeSweep(e, cmd, res, format, out)
}

// prefixLines puts prefix before each line of err's message.
func prefixLines(prefix string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return errors.New(strings.Join(lines, "\n"))
}

func writeSweep(e *env, cmd string, res *report.Sweep, format, out string) error {
	js, err := res.JSON()
	if err != nil {
		return err
	}
	csv, err := res.CSV()
	if err != nil {
		return err
	}
	var names []string
	if out != "" {
		charts, err := report.SweepCharts(res)
		if err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		files := []outfile.File{{Name: "sweep.csv", Data: csv}, {Name: "sweep.json", Data: js}}
		for _, c := range charts {
			files = append(files, outfile.File{Name: c.Name, Data: c.PNG})
		}
		if err := outfile.WriteAll(out, files); err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		for _, f := range files {
			names = append(names, f.Name)
		}
	}
	var b bytes.Buffer
	switch format {
	case "json":
		b.Write(js)
	case "csv":
		b.Write(csv)
	default:
		res.WriteText(&b)
		if out != "" {
			fmt.Fprintf(&b, "\nwrote %s in %s\n", strings.Join(names, ", "), out)
		}
	}
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// The journal: a sweep with --out keeps each finished point in
// OUT/.spotsim-journal/point-K.json (OUT/.spotsim-journal-shard-I-of-N/
// for a shard), each written atomically, beside journal.json naming the
// sweep's fingerprint. A run of the same sweep takes the points from there
// instead of running them again; a finished run removes the journal.

const journalFormat = "spotsim-sweep-journal/1"

type journalHead struct {
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"`
	Name        string `json:"name"`
	Points      int    `json:"points"`          // of this run (its shard's)
	Shard       string `json:"shard,omitempty"` // "I/N"
}

type journalPoint struct {
	Fingerprint string            `json:"fingerprint"`
	Point       report.SweepPoint `json:"point"`
}

type journal struct {
	dir   string
	fp    string
	mu    sync.Mutex // held while a point is written
	queue chan report.SweepPoint
	wg    sync.WaitGroup
	err   error // the first failed write; read after close
}

func journalDir(o sweepOptions) string {
	if !o.sharded {
		return filepath.Join(o.out, ".spotsim-journal")
	}
	return filepath.Join(o.out, fmt.Sprintf(".spotsim-journal-shard-%d-of-%d", o.shard, o.shards))
}

func shardText(o sweepOptions) string {
	if !o.sharded {
		return ""
	}
	return fmt.Sprintf("%d/%d", o.shard, o.shards)
}

func pointFile(k int) string { return fmt.Sprintf("point-%d.json", k) }

// openJournal opens (or creates) the journal in dir for the sweep of
// head.Fingerprint and returns the points of mine it holds. A journal of
// another sweep is refused, or discarded with restart.
func openJournal(dir string, head journalHead, restart bool, axes int, mine []int) (*journal, map[int]report.SweepPoint, error) {
	headFile := filepath.Join(dir, "journal.json")
	data, err := os.ReadFile(headFile)
	fresh := true
	switch {
	case err == nil:
		var h journalHead
		if json.Unmarshal(data, &h) != nil { // torn by a power cut: as if never written
			break
		}
		if h.Format == journalFormat && h.Fingerprint == head.Fingerprint {
			fresh = restart
			break
		}
		n := 0
		if ents, err := os.ReadDir(dir); err == nil {
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), "point-") {
					n++
				}
			}
		}
		if n > 0 && !restart { // nothing to lose otherwise
			return nil, nil, badInput(fmt.Errorf("spotsim sweep: %s holds %d finished points of a different sweep "+
				"(another scenario or data file, [sweep] table, --set, --reps, --seed, --deadline, --percentile or spotsim version); "+
				"run the command that started it to resume it, add --restart to discard it, or choose another --out", dir, n))
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, nil, fmt.Errorf("spotsim sweep: journal: %v", err)
	}
	if fresh { // discarded, or never written whole (the head is written first)
		if err := os.RemoveAll(dir); err != nil {
			return nil, nil, fmt.Errorf("spotsim sweep: journal: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("spotsim sweep: journal: %v", err)
		}
		hd, _ := json.MarshalIndent(head, "", "  ")
		if err := writeQuick(headFile, append(hd, '\n')); err != nil {
			return nil, nil, fmt.Errorf("spotsim sweep: journal: %v", err)
		}
	}
	j := &journal{dir: dir, fp: head.Fingerprint}
	have := map[int]report.SweepPoint{}
	want := map[int]bool{}
	for _, k := range mine {
		want[k] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("spotsim sweep: journal: %v", err)
	}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-") {
			os.Remove(filepath.Join(dir, name)) // a write cut short
			continue
		}
		var k int
		if _, err := fmt.Sscanf(name, "point-%d.json", &k); err != nil || name != pointFile(k) || !want[k] {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		var jp journalPoint
		if json.Unmarshal(data, &jp) != nil || jp.Fingerprint != head.Fingerprint || jp.Point.Index != k || len(jp.Point.Values) != axes {
			continue // run again
		}
		have[k] = jp.Point
	}
	return j, have, nil
}

// start starts the writer: points are queued (up to n, so add never
// blocks a worker) and written one at a time; a failed write calls fail.
func (j *journal) start(n int, fail func()) {
	j.queue = make(chan report.SweepPoint, n)
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		for p := range j.queue {
			if j.err != nil {
				continue
			}
			if err := j.write(p); err != nil {
				j.err = err
				fail()
			}
		}
	}()
}

func (j *journal) add(p report.SweepPoint) { j.queue <- p }

// close waits for the queued points to be written.
func (j *journal) close() error {
	close(j.queue)
	j.wg.Wait()
	return j.err
}

func (j *journal) write(p report.SweepPoint) error {
	data, err := json.Marshal(journalPoint{Fingerprint: j.fp, Point: p})
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return writeQuick(filepath.Join(j.dir, pointFile(p.Index)), append(data, '\n'))
}

// writeQuick replaces path with data atomically (a temporary file in the
// same folder, renamed), as outfile.Write does, but without waiting for the
// disk: a killed process leaves the old file or the new, and a point that a
// power cut leaves empty or torn fails to parse and is run again. A sweep of
// thousands of quick points would otherwise spend most of its time in fsync.
func writeQuick(path string, data []byte) error {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// remove deletes the journal of a finished sweep.
func (j *journal) remove() {
	if j != nil {
		os.RemoveAll(j.dir)
	}
}
