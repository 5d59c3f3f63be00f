package autoscale

import (
	"math"
	"time"
)

// Reach says, for each metric variable a formula calls a method on (by
// canonical name), how many of its newest samples the formula can ever
// see: a History capped at that many (History.Cap) evaluates the formula
// exactly as a full one does. Metrics the formula never queries are
// absent: their samples need not be kept at all.
//
// A query's reach is bounded from the formula's text when its count or
// window is a constant expression: literals, TimeInterval_* constants,
// operators and pure functions of them, and user variables assigned
// exactly once, from such an expression. GetSample(n) reaches n samples;
// a window (now − w, now] reaches ⌈w/period⌉ of
// samples taken at least a period apart, as a pool's are. Anything else (a window computed from metrics, an
// absolute timestamp, Count() or HistoryBeginTime(), which see the whole
// history) reaches MaxSamples.
func (f *Formula) Reach(period time.Duration) map[string]int {
	if period <= 0 {
		period = DefaultPeriod
	}
	r := &reacher{f: f, period: period, out: map[string]int{}, assigned: map[string]int{}, consts: map[string]value{}, ev: newEvaluator(f)}
	for _, s := range f.stmts {
		if a, ok := s.(*assignStmt); ok && a.target == nil {
			r.assigned[a.name]++
		}
	}
	for _, s := range f.stmts {
		switch s := s.(type) {
		case *exprStmt:
			r.walk(s.x)
		case *assignStmt:
			r.walk(s.value)
			if s.target == nil && r.assigned[s.name] == 1 {
				if v, ok := r.constant(s.value); ok {
					r.consts[s.name] = v
					r.ev.vals[s.slot], r.ev.set[s.slot] = v, true
				}
			}
		}
	}
	return r.out
}

type reacher struct {
	f        *Formula
	period   time.Duration
	out      map[string]int
	assigned map[string]int   // how many statements assign each user variable
	consts   map[string]value // user variables that hold a constant
	ev       *evaluator       // an evaluation with only those assigned
}

// need records that metric name needs n samples.
func (r *reacher) need(name string, n int) {
	n = min(max(n, 0), MaxSamples)
	if n > r.out[name] {
		r.out[name] = n
	} else if _, ok := r.out[name]; !ok {
		r.out[name] = n
	}
}

// walk records the reach of every method call in e.
func (r *reacher) walk(e expr) {
	switch e := e.(type) {
	case *vectorLit:
		for _, x := range e.elems {
			r.walk(x)
		}
	case *unaryExpr:
		r.walk(e.x)
	case *binaryExpr:
		r.walk(e.x)
		r.walk(e.y)
	case *condExpr:
		r.walk(e.cond)
		r.walk(e.then)
		r.walk(e.els)
	case *callExpr:
		for _, x := range e.args {
			r.walk(x)
		}
	case *memberExpr:
		r.walk(e.x)
	case *methodExpr:
		for _, x := range e.args {
			r.walk(x)
		}
		r.need(e.v.Canonical(), r.method(e))
	}
}

// method returns how many samples one method call can see.
func (r *reacher) method(e *methodExpr) int {
	switch e.name {
	case "GetSamplePeriod":
		return 0
	case "GetSample", "GetSamplePercent":
	default: // Count, HistoryBeginTime: the whole history
		return MaxSamples
	}
	args := e.args
	if e.name == "GetSample" && len(args) > 1 {
		if last, ok := r.constant(args[len(args)-1]); ok && last.typ == TypeDouble {
			args = args[:len(args)-1] // a sample percentage
		}
	}
	n := 0
	for _, a := range args {
		v, ok := r.constant(a)
		if !ok {
			return MaxSamples
		}
		switch v.typ {
		case TypeDouble: // GetSample(count)
			if !(v.num >= 0) {
				return 0 // an error at evaluation: sees nothing
			}
			n = max(n, int(math.Min(v.num, MaxSamples)))
		case TypeTimeInterval:
			back := v.iv
			if back < 0 {
				back = -back
			}
			per := r.period.Nanoseconds() / Tick
			per = max(1, per)
			n = max(n, int(min((back+per-1)/per, MaxSamples))) // ⌈back/period⌉
		default: // a timestamp: an absolute window
			return MaxSamples
		}
	}
	return n
}

// constant evaluates e if it is a constant expression.
func (r *reacher) constant(e expr) (value, bool) {
	if !r.isConst(e) {
		return value{}, false
	}
	v, err := r.ev.expr(e)
	return v, err == nil
}

// impure are the built-ins whose value is not a function of their
// arguments.
var impure = map[string]bool{"rand": true, "time": true, "stop": true}

func (r *reacher) isConst(e expr) bool {
	switch e := e.(type) {
	case *numberLit, *stringLit:
		return true
	case *vectorLit:
		for _, x := range e.elems {
			if !r.isConst(x) {
				return false
			}
		}
		return true
	case *ident:
		switch e.kind {
		case identConst, identKeyword:
			return true
		case identUser:
			_, ok := r.consts[e.name]
			return ok
		}
		return false
	case *unaryExpr:
		return r.isConst(e.x)
	case *binaryExpr:
		return r.isConst(e.x) && r.isConst(e.y)
	case *condExpr:
		return r.isConst(e.cond) && r.isConst(e.then) && r.isConst(e.els)
	case *callExpr:
		if impure[e.name] {
			return false
		}
		for _, x := range e.args {
			if !r.isConst(x) {
				return false
			}
		}
		return true
	}
	return false // members of timestamps, methods of metrics
}
