package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spotsim/spotsim/report"
)

// The journal: a sweep with --out keeps each finished point in
// OUT/.spotsim-journal/point-K.json (OUT/.spotsim-journal-shard-I-of-N/
// for a shard), each written atomically, beside journal.json naming the
// sweep's fingerprint. A run of the same sweep takes the points from there
// instead of running them again; a finished run removes the journal.

const journalFormat = "spotsim-sweep-journal/2"

type journalHead struct {
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"`
	Name        string `json:"name"`
	Points      int    `json:"points"`          // of this run (its shard's)
	Shard       string `json:"shard,omitempty"` // "I/N"
}

// journalPoint is a point file: the point's record, bound to its sweep by
// the fingerprint and the checksum over both.
type journalPoint struct {
	Fingerprint string            `json:"fingerprint"`
	Checksum    string            `json:"checksum"`
	Point       report.SweepPoint `json:"point"`
}

type journal struct {
	dir   string
	fp    string
	mu    sync.Locker // held while a point is written
	queue chan report.SweepPoint
	wg    sync.WaitGroup
	err   error // the first failed write; read after close
}

// journalDir is the journal's folder in the output folder out.
func journalDir(out string, o Options) string {
	if !o.Sharded {
		return filepath.Join(out, ".spotsim-journal")
	}
	return filepath.Join(out, fmt.Sprintf(".spotsim-journal-shard-%d-of-%d", o.Shard, o.Shards))
}

func shardText(o Options) string {
	if !o.Sharded {
		return ""
	}
	return fmt.Sprintf("%d/%d", o.Shard, o.Shards)
}

func pointFile(k int) string { return fmt.Sprintf("point-%d.json", k) }

// openJournal opens (or creates) the journal in dir for the sweep of
// head.Fingerprint and returns the points of mine it holds; writing is
// held while a point is written. A journal of another sweep is refused
// (an InputError), or discarded with restart. A torn journal.json or point
// (a write cut short by a crash or a full disk) is reported on log and the
// good points kept; a point edited after spotsim wrote it is refused,
// naming its file.
func openJournal(dir string, head journalHead, restart bool, axes int, mine []int, writing sync.Locker, log io.Writer) (*journal, map[int]report.SweepPoint, error) {
	say := func(format string, a ...any) {
		if log != nil {
			fmt.Fprintf(log, "spotsim sweep: journal: "+format+"\n", a...)
		}
	}
	headFile := filepath.Join(dir, "journal.json")
	data, err := os.ReadFile(headFile)
	const (
		none = iota
		torn
		ours
		foreign
	)
	state := none
	switch {
	case err == nil:
		var h journalHead
		switch {
		case json.Unmarshal(data, &h) != nil:
			state = torn
		case h.Format == journalFormat && h.Fingerprint == head.Fingerprint:
			state = ours
		default:
			state = foreign
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, nil, fmt.Errorf("journal: %v", err)
	}
	if state == foreign && !restart {
		if n := countPoints(dir); n > 0 { // nothing to lose otherwise
			return nil, nil, &InputError{foreignJournal(dir, n)}
		}
	}
	if restart || state == none || state == foreign {
		if err := os.RemoveAll(dir); err != nil {
			return nil, nil, fmt.Errorf("journal: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("journal: %v", err)
		}
	}
	if state != ours || restart {
		if state == torn && !restart {
			say("%s is torn (a write cut short); keeping the journaled points of this sweep", headFile)
		}
		hd, _ := json.MarshalIndent(head, "", "  ")
		if err := writeQuick(headFile, append(hd, '\n')); err != nil {
			return nil, nil, fmt.Errorf("journal: %v", err)
		}
	}
	j := &journal{dir: dir, fp: head.Fingerprint, mu: writing}
	have := map[int]report.SweepPoint{}
	want := map[int]bool{}
	for _, k := range mine {
		want[k] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %v", err)
	}
	var errs problems
	foreignPoints := 0
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(dir, name)
		if strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-") {
			os.Remove(path) // a write cut short
			continue
		}
		var k int
		if _, err := fmt.Sscanf(name, "point-%d.json", &k); err != nil || name != pointFile(k) || !want[k] {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			say("%v; running point %d again", err, k)
			continue
		}
		var jp journalPoint
		switch {
		case json.Unmarshal(data, &jp) != nil:
			say("%s is torn (a write cut short); running point %d again", path, k)
			os.Remove(path)
		case jp.Fingerprint != head.Fingerprint:
			foreignPoints++
		case jp.Checksum != jp.checksum():
			errs.add("%s %s; delete it to run point %d again, or add --restart to discard the journal", path, errEdited, k)
		case jp.Point.Index != k || len(jp.Point.Values) != axes:
			errs.add("%s holds point %d, not what its name says; delete it to run point %d again, or add --restart to discard the journal", path, jp.Point.Index, k)
		default:
			have[k] = jp.Point
		}
	}
	if foreignPoints > 0 {
		errs = append(problems{foreignJournal(dir, foreignPoints).Error()}, errs...)
	}
	if err := errs.err(); err != nil {
		return nil, nil, &InputError{err}
	}
	return j, have, nil
}

// countPoints counts the point files of the journal in dir.
func countPoints(dir string) int {
	n := 0
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), "point-") {
				n++
			}
		}
	}
	return n
}

func foreignJournal(dir string, n int) error {
	return fmt.Errorf("%s holds %d finished points of a different sweep "+
		"(another scenario or data file, [sweep] table, --set, --reps, --seed, --deadline, --percentile or spotsim version); "+
		"run the command that started it to resume it, add --restart to discard it, or choose another --out", dir, n)
}

// checksum is the point's checksum, over its fingerprint and record.
func (jp *journalPoint) checksum() string {
	sum, err := checksum("sweep journal point", struct {
		Fingerprint string            `json:"fingerprint"`
		Point       report.SweepPoint `json:"point"`
	}{jp.Fingerprint, jp.Point})
	if err != nil {
		return ""
	}
	return sum
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
	jp := journalPoint{Fingerprint: j.fp, Point: p}
	jp.Checksum = jp.checksum()
	data, err := json.Marshal(&jp)
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
// power cut leaves empty or torn fails to parse and is reported and run
// again. A sweep of
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
