package autoscale

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// FuzzParse requires that no input makes Parse panic, that every error is a
// well-positioned ErrorList, and that every formula that parses survives the
// round trip through its canonical form. The seed corpus in
// testdata/fuzz/FuzzParse holds every formula of the tests.
func FuzzParse(f *testing.F) {
	for _, src := range generated(50) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		form, err := Parse("fuzz", src)
		if err != nil {
			checkErrorList(t, src, err)
			return
		}
		checkRoundTrip(t, form)
	})
}

// generated returns n formulas of the generator of gen_test.go, from a
// fixed seed, as extra fuzz seeds that reach the checker and evaluator.
func generated(n int) []string {
	g := &gen{r: rand.New(rand.NewPCG(2, 2))}
	out := make([]string, n)
	for i := range out {
		out[i] = g.formula()
	}
	return out
}

// checkErrorList checks that err is a non-empty, sorted ErrorList of
// errors positioned inside the formula.
func checkErrorList(t *testing.T, src string, err error) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("Parse error %T %v, want a non-empty ErrorList", err, err)
	}
	lines := strings.Count(src, "\n") + 1
	for i, e := range list {
		if e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 || e.Msg == "" {
			t.Fatalf("bad error %q (formula has %d lines)", e.Error(), lines)
		}
		if i > 0 && list.Less(i, i-1) {
			t.Fatalf("errors not sorted: %v", list)
		}
	}
}

// fuzzEnv is an Env whose every metric has the same history: n samples of
// value x every 30 s, the newest lag before now.
type fuzzEnv struct {
	now time.Time
	x   float64
	h   *History
}

func newFuzzEnv(x float64, n uint16, lag time.Duration) *fuzzEnv {
	e := &fuzzEnv{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), x: x, h: &History{}}
	for i := int(n%(2*MaxSamples)) - 1; i >= 0; i-- {
		e.h.Add(e.now.Add(-lag-time.Duration(i)*DefaultPeriod), x)
	}
	return e
}

func (e *fuzzEnv) Now() time.Time              { return e.now }
func (e *fuzzEnv) Metric(name string) *History { return e.h }
func (e *fuzzEnv) Value(name string) float64   { return e.x }
func (e *fuzzEnv) Rand() float64               { return 0.5 }

// FuzzEval requires that evaluating any formula that parses never panics,
// that failures are positioned *Errors, and that the canonical form
// evaluates to the same result.
func FuzzEval(f *testing.F) {
	for _, src := range corpus(f) {
		f.Add(src, 3.0, uint16(40), uint16(60))
	}
	for i, src := range generated(50) {
		f.Add(src, float64(i), uint16(i*60), uint16(i*7))
	}
	f.Fuzz(func(t *testing.T, src string, x float64, n, lagSeconds uint16) {
		form, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		canon, err := parse(&source{name: "canonical", text: form.String(), line: 1, col: 1}, 0)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v", err)
		}
		lag := time.Duration(lagSeconds) * time.Second
		for _, env := range []func() Env{
			func() Env { return newFuzzEnv(x, n, lag) },
			func() Env {
				return ConstEnv(time.Date(2016, 10, 13, 19, 18, 47, 0, time.UTC), map[string]float64{"$PendingTasks": x})
			},
		} {
			r1, err1 := form.Eval(env())
			r2, err2 := canon.Eval(env())
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("source and canonical form disagree: %v vs %v", err1, err2)
			}
			if err1 != nil {
				var pe *Error
				if !errors.As(err1, &pe) || pe.Pos.Line < 1 || pe.Pos.Col < 1 {
					t.Fatalf("Eval error %T %v, want a positioned *Error", err1, err1)
				}
				continue
			}
			if r1.String() != r2.String() || r1.Stopped != r2.Stopped {
				t.Fatalf("source and canonical form evaluate differently:\n%s\n%s", r1, r2)
			}
			// Unassigned targets come from the Env and may be anything; the
			// applied targets never are negative.
			d, lp := r1.Targets()
			if d < 0 || lp < 0 || !keywords[r1.NodeDeallocationOption] {
				t.Fatalf("bad result %s", r1)
			}
		}
	})
}
