package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/spotsim/spotsim/report"
)

// ShardFormat names the layout of a shard file; merge refuses others.
const ShardFormat = "spotsim-sweep-shard/2"

// Shard is what one shard of a sweep writes for spotsim merge
// (shard-I-of-N.json): the sweep's settings, which every shard repeats, and
// the complete records of the shard's points. An unsharded sweep is shard
// 0 of 1 and goes through the same merge, so its outputs are built from
// the same records, read back the same way, as merged shards'.
type Shard struct {
	Format string `json:"format"`
	// Fingerprint identifies the sweep (Plan.Fingerprint): only shards with
	// the same one merge.
	Fingerprint string `json:"fingerprint"`
	// Checksum covers everything else in the file (Fingerprint included):
	// merge refuses a file edited after spotsim wrote it.
	Checksum    string `json:"checksum"`
	Shard       int    `json:"shard"`
	Shards      int    `json:"shards"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Seed        uint64 `json:"seed"`
	// Replications per point, when every point has the same number.
	Replications  int                `json:"replications,omitempty"`
	Axes          []report.SweepAxis `json:"axes"`
	Points        int                `json:"points"` // of the whole sweep
	Percentile    float64            `json:"percentile"`
	DeadlineHours float64            `json:"deadline_hours,omitempty"`
	// Results are the shard's points (index ≡ Shard mod Shards), in index
	// order.
	Results []report.SweepPoint `json:"results"`
	// Reference is the sweep's reference, when it has one: every shard
	// runs it (it is deterministic), so every shard holds the same record.
	Reference *report.SweepReference `json:"reference,omitempty"`
	// Source names where the shard was read from, in merge's messages.
	Source string `json:"-"`
}

// JSON returns the shard file's content, its checksum set.
func (s *Shard) JSON() ([]byte, error) {
	sum, err := s.checksum()
	if err != nil {
		return nil, err
	}
	c := *s
	c.Checksum = sum
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseShard reads a shard file's content; source names it in the
// shard's later messages.
func ParseShard(data []byte, source string) (*Shard, error) {
	var probe struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("not a spotsim sweep shard: %v", err)
	}
	if probe.Format != ShardFormat {
		return nil, fmt.Errorf("not a spotsim sweep shard of this version: format %q, want %q", probe.Format, ShardFormat)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Shard
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("not a spotsim sweep shard: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not a spotsim sweep shard: data after the JSON object")
	}
	if sum, err := s.checksum(); err != nil || sum != s.Checksum {
		return nil, errors.New(errEdited + "; run the shard again")
	}
	s.Source = source
	return &s, nil
}

// RoundTrip returns the shard as merge would read it from its file, so a
// sweep run in one piece builds its outputs from exactly the records a
// merge would.
func (s *Shard) RoundTrip() (*Shard, error) {
	data, err := s.JSON()
	if err != nil {
		return nil, err
	}
	return ParseShard(data, s.Source)
}

// checksum is the shard's checksum, over everything but its Checksum.
func (s *Shard) checksum() (string, error) {
	c := *s
	c.Checksum = ""
	return checksum("sweep shard", &c)
}

// header is the shard without what differs between shards of one sweep.
func (s *Shard) header() Shard {
	h := *s
	h.Shard, h.Results, h.Source, h.Checksum, h.Reference = 0, nil, "", "", nil
	return h
}

func (s *Shard) name() string {
	if s.Source != "" {
		return s.Source
	}
	return fmt.Sprintf("shard %d/%d", s.Shard, s.Shards)
}

// Merge checks that the shards are every shard of one sweep, each
// once, holding exactly its points, and returns the sweep with its
// frontier and recommendation, as a sweep run in one piece has them. Every
// problem found is reported, one per line.
func Merge(shards []*Shard) (*report.Sweep, error) {
	if len(shards) == 0 {
		return nil, errors.New("no shards to merge")
	}
	var errs problems
	bad := errs.add
	first := shards[0]
	n := first.Shards
	if n < 1 || n > MaxShards {
		return nil, fmt.Errorf("%s: %d shards, want 1 to %d", first.name(), n, MaxShards)
	}
	byShard := make([]*Shard, n)
	mixed := false // shards of different sweeps: which are missing means little
	for _, s := range shards {
		switch {
		case s.Shards != n:
			mixed = true
			bad("%s is shard %d of %d but %s is of %d: shards of different splits do not merge", s.name(), s.Shard, s.Shards, first.name(), n)
			continue
		case s.Fingerprint != first.Fingerprint:
			mixed = true
			bad("%s and %s are shards of different sweeps (fingerprints %s and %s): every shard must run the same scenario, data files, [sweep], flags and spotsim version",
				s.name(), first.name(), short(s.Fingerprint), short(first.Fingerprint))
			continue
		case !reflect.DeepEqual(s.header(), first.header()):
			mixed = true
			bad("%s and %s describe the sweep differently (name, seed, axes, points, percentile or deadline)", s.name(), first.name())
			continue
		case !sameReference(s.Reference, first.Reference):
			mixed = true
			bad("%s and %s hold different reference results: every shard must run the same [reference] and --reference flags", s.name(), first.name())
			continue
		case s.Shard < 0 || s.Shard >= n:
			bad("%s: shard %d of %d is out of range", s.name(), s.Shard, n)
			continue
		case byShard[s.Shard] != nil:
			bad("shard %d/%d twice: %s and %s", s.Shard, n, byShard[s.Shard].name(), s.name())
			continue
		}
		byShard[s.Shard] = s
	}
	for i, s := range byShard {
		if s == nil && !mixed {
			bad("shard %d/%d missing", i, n)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	points := first.Points
	res := &report.Sweep{Name: first.Name, Description: first.Description, Seed: first.Seed, Axes: first.Axes,
		Points: points, Percentile: first.Percentile, DeadlineHours: first.DeadlineHours,
		Results: make([]report.SweepPoint, 0, max(points, 0)), Reference: first.Reference}
	seen := make([]bool, max(points, 0))
	for _, s := range byShard {
		for _, p := range s.Results {
			switch {
			case p.Index < 0 || p.Index >= points:
				bad("%s: point %d is outside the sweep's %d points", s.name(), p.Index, points)
			case !InShard(p.Index, s.Shard, n):
				bad("%s: point %d belongs to shard %d/%d", s.name(), p.Index, p.Index%n, n)
			case seen[p.Index]:
				bad("%s: point %d twice", s.name(), p.Index)
			case len(p.Values) != len(first.Axes):
				bad("%s: point %d has %d values for %d axes", s.name(), p.Index, len(p.Values), len(first.Axes))
			default:
				seen[p.Index] = true
				res.Results = append(res.Results, p)
			}
		}
	}
	for k, ok := range seen {
		if !ok {
			bad("point %d (of shard %d/%d) is in no shard", k, k%n, n)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	slices.SortFunc(res.Results, func(a, b report.SweepPoint) int { return a.Index - b.Index })
	Analyse(res)
	return res, nil
}

// sameReference reports whether two shards' reference records are the
// same, as their files hold them (its statistics may be NaN, which no
// NaN equals).
func sameReference(a, b *report.SweepReference) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func short(fp string) string {
	if len(fp) > 19 {
		return fp[:19]
	}
	return fp
}
