package price_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/model/price"
)

// FuzzPriceTrace loads arbitrary input as a price trace. It must never
// panic; a path it accepts must be well formed, its queries consistent, and
// writing it out and loading it back must give the same steps.
func FuzzPriceTrace(f *testing.F) {
	for _, s := range []string{
		"timestamp,price\n0,0.02\n3600,0.03\n2h,0.03\n2.5h,0.01\n",
		"Price,Time\n0.05,2025-02-27T00:00:00Z\n0.04,2025-02-28T12:00:00Z\n0.06,2025-03-01T06:00:00+00:00\n",
		"time,price\n1h,0.5\n2h,0.25\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := price.LoadTrace(strings.NewReader(in), "fuzz.csv", price.TraceOptions{Start: start, MaxRows: 1000})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for i := range p.Len() {
			at, x := p.Step(i)
			if !(x >= 0) || math.IsInf(x, 0) || i == 0 && at != 0 {
				t.Fatalf("step %d: %v at %v", i, x, at)
			}
			if i > 0 {
				prev, px := p.Step(i - 1)
				if at <= prev || x == px {
					t.Fatalf("step %d at %v (price %v) after %v (price %v)", i, at, x, prev, px)
				}
				// A crossing just above the previous price is found exactly.
				if x > px {
					if s, ok := p.NextAbove(prev, px); !ok || s > at {
						t.Fatalf("NextAbove(%v, %v) = %v, %v; step %d rises at %v", prev, px, s, ok, i, at)
					}
				}
			}
		}
		var buf bytes.Buffer
		if err := p.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := price.LoadTrace(&buf, "back.csv", price.TraceOptions{})
		if err != nil {
			t.Fatalf("reloading %q: %v", buf.String(), err)
		}
		if !equalSteps(steps(back), steps(p)) {
			t.Fatalf("round trip\n got %v\nwant %v", steps(back), steps(p))
		}
	})
}
