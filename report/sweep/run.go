package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
)

// Options say how a sweep runs, not what it is. The zero value runs every
// point on one goroutine per CPU, without a journal.
type Options struct {
	Workers       int // goroutines running replications (<= 0: one per CPU)
	Shard, Shards int // run shard Shard of Shards (0 of 1 when Shards is 0)
	// Sharded names the journal and the messages after the shard (an
	// unsharded sweep is shard 0 of 1 without saying so).
	Sharded bool
	// Out, when set, is the output folder the journal goes in; Restart
	// discards a journal found there.
	Out     string
	Restart bool
	// Progress is told of every replication done; Log, when set, is told
	// when points are taken from the journal.
	Progress Progress
	Log      io.Writer
	// Writing, when set, is held while a journal point is written: a caller
	// that must exit at once locks it first, so no point is left half
	// written.
	Writing sync.Locker
}

// InputError marks an error caused by what the sweep was given (a journal
// of another sweep, shards that do not make one sweep), not by a failure
// while running it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Interrupted is the error of a sweep whose context was cancelled before
// every point was done; it wraps ErrStopped.
type Interrupted struct {
	Done    int    // points done, journaled ones included
	What    string // "12 points" or "3 points of shard 1/4"
	Journal bool   // whether the points done are kept
}

func (e *Interrupted) Error() string {
	if !e.Journal {
		return fmt.Sprintf("interrupted: %d of %s done; without --out nothing is kept", e.Done, e.What)
	}
	return fmt.Sprintf("interrupted: %d of %s done; run the same command again to resume", e.Done, e.What)
}

func (e *Interrupted) Unwrap() error { return ErrStopped }

// Run runs the points of shard o.Shard of o.Shards (every point unsharded)
// that its journal does not already hold, journaling each as it finishes,
// and returns the shard's records in index order. Cancelling ctx lets the
// replications in flight finish, journals the points they complete and
// returns an *Interrupted. A shard run in full removes its journal only
// once the caller has written its outputs: call Done then.
func Run(ctx context.Context, plan *Plan, o Options) (*Shard, *Journal, error) {
	if o.Shards == 0 {
		o.Shard, o.Shards = 0, 1
	}
	part := plan.Header(o.Shard, o.Shards)
	mine := plan.Mine(o.Shard, o.Shards)
	what := fmt.Sprintf("%d points", len(mine))
	if o.Sharded {
		what = fmt.Sprintf("%d points of shard %d/%d", len(mine), o.Shard, o.Shards)
	}
	var j *journal
	have := map[int]report.SweepPoint{}
	if o.Out != "" {
		w := o.Writing
		if w == nil {
			w = new(sync.Mutex)
		}
		var err error
		j, have, err = openJournal(journalDir(o.Out, o), journalHead{Format: journalFormat, Fingerprint: part.Fingerprint,
			Name: part.Name, Points: len(mine), Shard: shardText(o)}, o.Restart, len(part.Axes), mine, w, o.Log)
		if err != nil {
			return nil, nil, err
		}
	}
	var todo []int
	for _, k := range mine {
		if _, ok := have[k]; !ok {
			todo = append(todo, k)
		}
	}
	if len(have) > 0 && o.Log != nil {
		fmt.Fprintf(o.Log, "spotsim sweep: resumed: %d of %s from the journal in %s; running the other %d\n", len(have), what, j.dir, len(todo))
	}
	var refRuns *runner.Side
	if plan.Reference != nil {
		// Run once for the shard, before its points, even when the journal
		// holds them all: the shard's file carries the reference's record.
		var progress func(int)
		if o.Progress != nil {
			total := plan.Reference.Replications + plan.runs(todo)
			progress = func(done int) { o.Progress(len(have), len(mine), done, total) }
		}
		var err error
		if refRuns, err = runReference(ctx, plan.Reference, o.Workers, progress); err != nil {
			if errors.Is(err, ErrStopped) {
				return nil, nil, &Interrupted{Done: len(have), What: what, Journal: j != nil}
			}
			return nil, nil, fmt.Errorf("reference %q: %v", plan.Reference.Name, err)
		}
		part.Reference = referenceRecord(plan.Reference, refRuns, plan.Percentile, plan.Deadline)
	}
	got, err := runTodo(ctx, plan, todo, len(have), len(mine), o, j, refRuns)
	if err != nil {
		if errors.Is(err, ErrStopped) {
			return nil, nil, &Interrupted{Done: len(have) + len(got), What: what, Journal: j != nil}
		}
		return nil, nil, err
	}
	got = append([]report.SweepPoint{}, got...) // an empty shard's results are [], not null
	for _, p := range have {
		got = append(got, p)
	}
	slices.SortFunc(got, func(a, b report.SweepPoint) int { return a.Index - b.Index })
	part.Results = got
	return part, &Journal{j}, nil
}

// Journal is the journal of a sweep that ran in full.
type Journal struct{ j *journal }

// Remove deletes the journal, once the sweep's outputs are written.
func (j *Journal) Remove() {
	if j != nil {
		j.j.remove()
	}
}

// runTodo runs the points of todo (indices into the plan) and returns
// their records, in no particular order, journaling each as it finishes.
// A cancelled ctx, or a journal write that fails, stops it early
// (ErrStopped) with the points finished so far returned and journaled.
// refRuns are the reference's runs (nil without one), paired with every
// point's.
func runTodo(ctx context.Context, plan *Plan, todo []int, before, total int, o Options, j *journal, refRuns *runner.Side) ([]report.SweepPoint, error) {
	if len(todo) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if j != nil {
		j.start(len(todo), cancel)
	}
	sub := make([]*model.Scenario, len(todo))
	for i, k := range todo {
		sub[i] = plan.Points[k].Scenario
	}
	var progress Progress
	if o.Progress != nil {
		ran := 0
		if refRuns != nil {
			ran = refRuns.Len()
		}
		progress = func(pointsDone, _, repsDone, reps int) { o.Progress(before+pointsDone, total, ran+repsDone, ran+reps) }
	}
	var ref *model.Scenario
	if plan.Reference != nil {
		ref = plan.Reference.Scenario
	}
	var mu sync.Mutex
	var got []report.SweepPoint
	err := runPoints(ctx, sub, o.Workers, progress, func(i int, runs *runner.Runs) {
		k := todo[i]
		pt := &plan.Points[k]
		runs.Reference = refRuns
		p := NewPoint(k, pt.Values, pt.Scenario, ref, runs, plan.Percentile, plan.Deadline)
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
		if j != nil {
			j.add(p)
		}
	})
	if j != nil {
		if jerr := j.close(); jerr != nil {
			return nil, fmt.Errorf("journal: %v", jerr)
		}
	}
	return got, err
}
