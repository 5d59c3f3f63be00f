package preempt_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/preempt"
)

var start = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func TestLoadTrace(t *testing.T) {
	in := `# evictions seen in westeurope
time,count,unavailable_for
0,2,
1h30m,0,30m
5400.5,1,90
2025-03-01T02:00:00Z,3,1d
2025-03-01T02:00:00Z,1,0s
`
	tr, err := preempt.LoadTrace(strings.NewReader(in), "ev.csv", preempt.TraceOptions{Start: start})
	if err != nil {
		t.Fatal(err)
	}
	want := []preempt.Eviction{
		{At: 0, Count: 2},
		{At: 90 * time.Minute, Count: 0, Blackout: 30 * time.Minute},
		{At: 5400500 * time.Millisecond, Count: 1, Blackout: 90 * time.Second},
		{At: 2 * time.Hour, Count: 3, Blackout: 24 * time.Hour},
		{At: 2 * time.Hour, Count: 1},
	}
	if !reflect.DeepEqual(tr.Rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", tr.Rows, want)
	}
	// Round trip.
	var buf bytes.Buffer
	if err := tr.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := preempt.LoadTrace(&buf, "back.csv", preempt.TraceOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(back.Rows, tr.Rows) {
		t.Errorf("round trip\n got %+v\nwant %+v", back.Rows, tr.Rows)
	}
	// Fractions, a timestamp origin taken from the first row, the
	// "timestamp" alias, upper-case names and a BOM.
	in = "\ufeffTimestamp,Fraction\n2025-01-01T00:00:00Z,0.25\n2025-01-01T00:10:00+01:00,1\n2025-01-02T00:00:00.5Z,0\n"
	tr, err = preempt.LoadTrace(strings.NewReader(in), "f.csv", preempt.TraceOptions{})
	if err == nil || err.Error() != `f.csv:3: column 1 (Timestamp): the time is before the start` {
		t.Fatalf("err = %v", err)
	}
	in = strings.Replace(in, "+01:00", "Z", 1)
	if tr, err = preempt.LoadTrace(strings.NewReader(in), "f.csv", preempt.TraceOptions{}); err != nil {
		t.Fatal(err)
	}
	want = []preempt.Eviction{{At: 0, Count: -1, Fraction: 0.25}, {At: 10 * time.Minute, Count: -1, Fraction: 1}, {At: 24*time.Hour + 500*time.Millisecond, Count: -1}}
	if !reflect.DeepEqual(tr.Rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", tr.Rows, want)
	}
	buf.Reset()
	if err := tr.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if back, err = preempt.LoadTrace(&buf, "back.csv", preempt.TraceOptions{}); err != nil || !reflect.DeepEqual(back.Rows, tr.Rows) {
		t.Errorf("round trip: %v, %+v", err, back)
	}
	var got []preempt.Eviction
	for ev := tr.Events(); ; {
		e, ok := ev.Next()
		if !ok {
			break
		}
		got = append(got, e)
	}
	if !reflect.DeepEqual(got, tr.Rows) {
		t.Errorf("Events() gave %+v", got)
	}
	// A header alone is an empty trace.
	if tr, err := preempt.LoadTrace(strings.NewReader("time,count\n"), "e.csv", preempt.TraceOptions{}); err != nil || len(tr.Rows) != 0 {
		t.Errorf("header only: %v, %v", tr, err)
	}
}

func TestLoadTraceErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		opt  preempt.TraceOptions
		want string
	}{
		{"", preempt.TraceOptions{}, "t.csv:1: empty file: want a header row with time, count, fraction, unavailable_for"},
		{"# only a comment\n", preempt.TraceOptions{}, "t.csv:1: empty file: want a header row with time, count, fraction, unavailable_for"},
		{"time,count,colour\n", preempt.TraceOptions{}, `t.csv:1: column 3 (colour): unknown column "colour" (want time, count, fraction, unavailable_for)`},
		{"count\n1\n", preempt.TraceOptions{}, "t.csv:1: missing column time"},
		{"time\n1\n", preempt.TraceOptions{}, "t.csv:1: want exactly one of the columns count and fraction"},
		{"time,count,fraction\n", preempt.TraceOptions{}, "t.csv:1: want exactly one of the columns count and fraction"},
		{"time,count,Time\n", preempt.TraceOptions{}, "t.csv:1: column 3 (Time): column time repeats column 1"},
		{"timestamp,count,time\n", preempt.TraceOptions{}, "t.csv:1: column 3 (time): column time repeats column 1"},
		{"time,count\n1h,1\n2h\n", preempt.TraceOptions{}, "t.csv:3: 1 fields, the header has 2"},
		{"time,count\n1h,1,5\n", preempt.TraceOptions{}, "t.csv:2: 3 fields, the header has 2"},
		{"time,count\n\n\n1x,1\n", preempt.TraceOptions{}, `t.csv:4: column 1 (time): not a time (want seconds, a duration like "3h" or an RFC3339 timestamp)`},
		{"time,count\n,1\n", preempt.TraceOptions{}, "t.csv:2: column 1 (time): empty time"},
		{"time,count\n-1h,1\n", preempt.TraceOptions{}, "t.csv:2: column 1 (time): the time is before the start"},
		{"time,count\n-5,1\n", preempt.TraceOptions{}, "t.csv:2: column 1 (time): the time is before the start"},
		{"time,count\n2h,1\n1h,1\n", preempt.TraceOptions{}, "t.csv:3: column 1 (time): the time is before the previous row's"},
		{"time,count\n99999999999999,1\n", preempt.TraceOptions{}, "t.csv:2: column 1 (time): a number of seconds out of range"},
		{"time,count\n2025-02-30T00:00:00Z,1\n", preempt.TraceOptions{}, `t.csv:2: column 1 (time): not a valid RFC3339 timestamp`},
		{"time,count\n2025-02-28T00:00:00Z,1\n", preempt.TraceOptions{Start: start}, "t.csv:2: column 1 (time): the time is before the start"},
		{"time,count\n1h,1\n2025-03-01T02:00:00Z,1\n", preempt.TraceOptions{}, "t.csv:3: column 1 (time): a timestamp needs the trace's start time when the first row is not a timestamp"},
		{"time,count\n2500-01-01T00:00:00Z,1\n", preempt.TraceOptions{Start: start}, "t.csv:2: column 1 (time): a timestamp too far from the start 2025-03-01T00:00:00Z"},
		{"time,count\n1h,-1\n", preempt.TraceOptions{}, "t.csv:2: column 2 (count): the count is negative"},
		{"time,count\n1h,1.5\n", preempt.TraceOptions{}, `t.csv:2: column 2 (count): the count is not an integer`},
		{"time,count\n1h,99999999999999999999\n", preempt.TraceOptions{}, `t.csv:2: column 2 (count): the count is out of range`},
		{"time,fraction\n1h,1.01\n", preempt.TraceOptions{}, "t.csv:2: column 2 (fraction): the fraction is not in [0, 1]"},
		{"time,fraction\n1h,NaN\n", preempt.TraceOptions{}, "t.csv:2: column 2 (fraction): the fraction is not in [0, 1]"},
		{"time,fraction\n1h,-Inf\n", preempt.TraceOptions{}, "t.csv:2: column 2 (fraction): the fraction is not in [0, 1]"},
		{"time,fraction\n1h,half\n", preempt.TraceOptions{}, `t.csv:2: column 2 (fraction): the fraction is not a number`},
		{"time,fraction\n1h,1e999\n", preempt.TraceOptions{}, "t.csv:2: column 2 (fraction): the fraction is not in [0, 1]"},
		{"time,count,unavailable_for\n1h,1,-5m\n", preempt.TraceOptions{}, "t.csv:2: column 3 (unavailable_for): the duration is negative"},
		{"time,count,unavailable_for\n1h,1,soon\n", preempt.TraceOptions{}, `t.csv:2: column 3 (unavailable_for): not a duration (want seconds or a duration like "30m")`},
		{"time,count\n1h,\"1\n", preempt.TraceOptions{}, `t.csv:2: extraneous or missing " in quoted-field (byte 7)`},
		{"time,count\n1h,1\n2h,1\n3h,1\n", preempt.TraceOptions{MaxRows: 2}, "t.csv:4: more than 2 rows"},
		{"time,count\n1h,1\n2h,1\n3h,1\n", preempt.TraceOptions{MaxBytes: 20}, "t.csv: file is larger than 20 bytes"},
	} {
		_, err := preempt.LoadTrace(strings.NewReader(c.in), "t.csv", c.opt)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.in, err, c.want)
			continue
		}
		var pe *preempt.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: %T is not a *ParseError", c.in, err)
		}
	}
	// Exactly at the byte limit is fine.
	in := "time,count\n1h,1\n"
	if _, err := preempt.LoadTrace(strings.NewReader(in), "t.csv", preempt.TraceOptions{MaxBytes: int64(len(in))}); err != nil {
		t.Errorf("file of exactly MaxBytes: %v", err)
	}
}

// TestTraceErrorsShowNoCells: an error names the line and the column, never
// what the file holds there (a file read by mistake, or through a race,
// must not be printed).
func TestTraceErrorsShowNoCells(t *testing.T) {
	for _, in := range []string{
		"time,count\nSECRET,1\n", "time,count\n1h,SECRET\n", "time,count\n1h,-1SECRET\n",
		"time,fraction\n1h,SECRET\n", "time,count,unavailable_for\n1h,1,SECRET\n",
		"time,count\n2025-02-30T00:00:00SECRET,1\n",
	} {
		_, err := preempt.LoadTrace(strings.NewReader(in), "t.csv", preempt.TraceOptions{})
		if err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%q: %v", in, err)
		}
	}
}
