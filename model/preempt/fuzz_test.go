package preempt_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/model/preempt"
)

// FuzzTrace loads arbitrary input as an eviction trace. It must never
// panic; a trace it accepts must be valid, and writing it out and loading
// it back must give the same rows.
func FuzzTrace(f *testing.F) {
	for _, s := range []string{
		"time,count,unavailable_for\n0,2,\n1h30m,0,30m\n5400.5,1,90\n",
		"timestamp,fraction\n2025-01-01T00:00:00Z,0.25\n2025-01-01T00:10:00Z,1\n",
		"time,fraction,unavailable_for\n1d,0.5,1h\n",
		"time,count\n\"1h\",\"3\"\n# comment\n2h,4\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tr, err := preempt.LoadTrace(strings.NewReader(in), "fuzz.csv", preempt.TraceOptions{Start: start, MaxRows: 1000})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if err := tr.Validate(); err != nil {
			t.Fatalf("loaded an invalid trace: %v", err)
		}
		var buf bytes.Buffer
		if err := tr.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := preempt.LoadTrace(&buf, "back.csv", preempt.TraceOptions{})
		if err != nil {
			t.Fatalf("reloading %q: %v", buf.String(), err)
		}
		if !reflect.DeepEqual(back.Rows, tr.Rows) && !(len(back.Rows) == 0 && len(tr.Rows) == 0) {
			t.Fatalf("round trip\n got %+v\nwant %+v", back.Rows, tr.Rows)
		}
		for _, e := range tr.Rows {
			if n := e.Nodes(7); n < 0 || n > 7 {
				t.Fatalf("%+v evicts %d of 7", e, n)
			}
		}
	})
}
