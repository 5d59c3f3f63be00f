package price_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/price"
)

var start = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

type step struct {
	at time.Duration
	p  float64
}

func steps(p *price.Path) []step {
	out := make([]step, p.Len())
	for i := range out {
		out[i].at, out[i].p = p.Step(i)
	}
	return out
}

func equalSteps(a, b []step) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLoadTrace(t *testing.T) {
	for _, c := range []struct {
		in   string
		opt  price.TraceOptions
		want []step
	}{
		{"timestamp,price\n0,0.02\n3600,0.03\n2h,0.03\n2.5h,0.01\n", price.TraceOptions{},
			[]step{{0, 0.02}, {h, 0.03}, {150 * time.Minute, 0.01}}},
		// History from before the start: the last row at or before 0 sets
		// the starting price.
		{"# westeurope D4s_v5\nPrice,Time\n0.05,2025-02-27T00:00:00Z\n0.04,2025-02-28T12:00:00Z\n0.06,2025-03-01T06:00:00+00:00\n",
			price.TraceOptions{Start: start}, []step{{0, 0.04}, {6 * h, 0.06}}},
		// A first row after 0 also holds from 0.
		{"time,price\n1h,0.5\n2h,0.25\n", price.TraceOptions{}, []step{{0, 0.5}, {2 * h, 0.25}}},
		// Timestamps with no start: the first row is the origin.
		{"\ufefftimestamp,price\n2025-01-01T00:00:00Z,1\n2025-01-01T00:00:01.5Z,2\n", price.TraceOptions{},
			[]step{{0, 1}, {1500 * time.Millisecond, 2}}},
		{"timestamp,price\n-1d,0.3\n-5,0.2\n", price.TraceOptions{}, []step{{0, 0.2}}},
	} {
		p, err := price.LoadTrace(strings.NewReader(c.in), "p.csv", c.opt)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := steps(p); !equalSteps(got, c.want) {
			t.Errorf("%q:\n got %v\nwant %v", c.in, got, c.want)
		}
		var buf bytes.Buffer
		if err := p.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := price.LoadTrace(&buf, "back.csv", price.TraceOptions{})
		if err != nil || !equalSteps(steps(back), steps(p)) {
			t.Errorf("%q: round trip gave %v, %v", c.in, err, back)
		}
	}
}

func TestLoadTraceErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		opt  price.TraceOptions
		want string
	}{
		{"", price.TraceOptions{}, "p.csv:1: empty file: want a header row with timestamp, price"},
		{"timestamp,price\n", price.TraceOptions{}, "p.csv:1: no price rows"},
		{"timestamp,price,region\n", price.TraceOptions{}, `p.csv:1: column 3 (region): unknown column "region" (want timestamp, price)`},
		{"price\n1\n", price.TraceOptions{}, "p.csv:1: missing column timestamp"},
		{"time\n1\n", price.TraceOptions{}, "p.csv:1: missing column price"},
		{"time,timestamp,price\n", price.TraceOptions{}, "p.csv:1: column 2 (timestamp): column timestamp repeats column 1"},
		{"timestamp,price\n0,1\n1h\n", price.TraceOptions{}, "p.csv:3: 1 fields, the header has 2"},
		{"timestamp,price\n0,1\nlater,2\n", price.TraceOptions{}, `p.csv:3: column 1 (timestamp): not a time (want seconds, a duration like "3h" or an RFC3339 timestamp)`},
		{"timestamp,price\n1h,1\n1h,2\n", price.TraceOptions{}, "p.csv:3: column 1 (timestamp): the time is not after the previous row's"},
		{"timestamp,price\n2h,1\n3600,2\n", price.TraceOptions{}, "p.csv:3: column 1 (timestamp): the time is not after the previous row's"},
		{"timestamp,price\n0,-0.01\n", price.TraceOptions{}, "p.csv:2: column 2 (price): the price is not a finite price >= 0"},
		{"timestamp,price\n0,NaN\n", price.TraceOptions{}, "p.csv:2: column 2 (price): the price is not a finite price >= 0"},
		{"timestamp,price\n0,+Inf\n", price.TraceOptions{}, "p.csv:2: column 2 (price): the price is not a finite price >= 0"},
		{"timestamp,price\n0,1e400\n", price.TraceOptions{}, "p.csv:2: column 2 (price): the price is not a finite price >= 0"},
		{"timestamp,price\n0,$0.02\n", price.TraceOptions{}, `p.csv:2: column 2 (price): the price is not a number`},
		{"timestamp,price\n0,\n", price.TraceOptions{}, `p.csv:2: column 2 (price): the price is not a number`},
		{"timestamp,price\n1h,1\n2025-03-01T00:00:00Z,2\n", price.TraceOptions{}, "p.csv:3: column 1 (timestamp): a timestamp needs the trace's start time when the first row is not a timestamp"},
		{"timestamp,price\n2025-13-01T00:00:00Z,2\n", price.TraceOptions{}, `p.csv:2: column 1 (timestamp): not a valid RFC3339 timestamp`},
		{"timestamp,price\n1000-01-01T00:00:00Z,2\n", price.TraceOptions{Start: start}, "p.csv:2: column 1 (timestamp): a timestamp too far from the start 2025-03-01T00:00:00Z"},
		{"timestamp,price\n0,1\n1,\"2\n", price.TraceOptions{}, `p.csv:3: extraneous or missing " in quoted-field (byte 6)`},
		{"timestamp,price\n0,1\n1,2\n2,3\n", price.TraceOptions{MaxRows: 2}, "p.csv:4: more than 2 rows"},
		{"timestamp,price\n0,1\n1,2\n2,3\n", price.TraceOptions{MaxBytes: 16}, "p.csv: file is larger than 16 bytes"},
	} {
		_, err := price.LoadTrace(strings.NewReader(c.in), "p.csv", c.opt)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.in, err, c.want)
			continue
		}
		var pe *price.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: %T is not a *ParseError", c.in, err)
		}
	}
}

// TestTraceErrorsShowNoCells: an error names the line and the column, never
// what the file holds there.
func TestTraceErrorsShowNoCells(t *testing.T) {
	for _, in := range []string{"timestamp,price\nSECRET,1\n", "timestamp,price\n0,SECRET\n", "timestamp,price\n0,-1\n1h,SECRET\n"} {
		_, err := price.LoadTrace(strings.NewReader(in), "p.csv", price.TraceOptions{})
		if err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%q: %v", in, err)
		}
	}
}
