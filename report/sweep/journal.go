package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
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
// head.Fingerprint and returns the points of mine it holds. A journal of
// another sweep is refused (an InputError), or discarded with restart;
// writing is held while a point is written.
func openJournal(dir string, head journalHead, restart bool, axes int, mine []int, writing sync.Locker) (*journal, map[int]report.SweepPoint, error) {
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
			return nil, nil, &InputError{fmt.Errorf("%s holds %d finished points of a different sweep "+
				"(another scenario or data file, [sweep] table, --set, --reps, --seed, --deadline, --percentile or spotsim version); "+
				"run the command that started it to resume it, add --restart to discard it, or choose another --out", dir, n)}
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, nil, fmt.Errorf("journal: %v", err)
	}
	if fresh { // discarded, or never written whole (the head is written first)
		if err := os.RemoveAll(dir); err != nil {
			return nil, nil, fmt.Errorf("journal: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("journal: %v", err)
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
