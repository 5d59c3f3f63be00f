package autoscale

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// value is a runtime value; typ says which field holds it.
type value struct {
	typ Type
	num float64   // double
	vec []float64 // doubleVec
	str string    // string
	ts  time.Time // timestamp (UTC)
	iv  int64     // timeinterval, in ticks of 100 ns
}

func num(f float64) value        { return value{typ: TypeDouble, num: f} }
func vec(v []float64) value      { return value{typ: TypeDoubleVec, vec: v} }
func str(s string) value         { return value{typ: TypeString, str: s} }
func stamp(t time.Time) value    { return value{typ: TypeTimestamp, ts: t.UTC()} }
func interval(ticks int64) value { return value{typ: TypeTimeInterval, iv: ticks} }

func boolean(b bool) value {
	if b {
		return num(1)
	}
	return num(0)
}

// flatten concatenates double and doubleVec values into one slice.
func (ev *evaluator) flatten(args []value) []float64 {
	if len(args) == 1 && args[0].typ == TypeDoubleVec {
		return args[0].vec
	}
	n := 0
	for _, a := range args {
		if a.typ == TypeDouble {
			n++
		} else {
			n += len(a.vec)
		}
	}
	out := ev.floats(n)[:0]
	for _, a := range args {
		if a.typ == TypeDouble {
			out = append(out, a.num)
		} else {
			out = append(out, a.vec...)
		}
	}
	return out
}

// floats returns a slice of n floats from the evaluation's arena: the
// doubleVecs of one evaluation live there, so an Evaluator that runs a
// formula again and again reuses their memory.
func (ev *evaluator) floats(n int) []float64 {
	if cap(ev.arena)-len(ev.arena) < n {
		ev.arena = make([]float64, 0, max(2*cap(ev.arena), n, 64))
	}
	i := len(ev.arena)
	ev.arena = ev.arena[:i+n]
	return ev.arena[i : i+n : i+n]
}

// Env is what a formula reads from the pool being evaluated.
type Env interface {
	// Now returns the evaluation's timestamp: time() and the windows of
	// GetSample are relative to it.
	Now() time.Time
	// Metric returns the sampled history of a sampled service variable, by
	// full name ("$PendingTasks", "$CurrentDedicatedNodes"), holding only
	// the samples visible at Now. nil means none recorded: an empty history.
	Metric(name string) *History
	// Value returns a plain value by full name: "$TaskSlotsPerNode", the
	// current "$TargetDedicatedNodes" and "$TargetLowPriorityNodes" (read
	// before the formula assigns them), and the current node counts
	// "$CurrentDedicatedNodes", "$CurrentLowPriorityNodes",
	// "$PreemptedNodeCount" and "$UsableNodeCount" when a formula uses them
	// as numbers.
	Value(name string) float64
	// Rand returns a uniform random number in [0, 1) for rand().
	Rand() float64
}

// Assignment is a variable assigned by a formula and its final value, in
// Azure's rendering: "$TargetDedicatedNodes=10", "$curTime=2016-10-13T19:18:47.805Z",
// "v=[1,2,3]".
type Assignment struct {
	Name  string // as written in the formula
	Value string
}

// String renders a as "name=value".
func (a Assignment) String() string { return a.Name + "=" + a.Value }

// Result is the outcome of a successful evaluation.
type Result struct {
	// TargetDedicatedNodes and TargetLowPriorityNodes are the targets as
	// assigned (full name over alias), or the current targets from
	// Env.Value if the formula does not assign them. They are not
	// truncated; see Targets.
	TargetDedicatedNodes, TargetLowPriorityNodes float64
	// NodeDeallocationOption is requeue unless the formula assigns it.
	NodeDeallocationOption string
	// Assigned lists every variable the formula assigned, service and user,
	// with its final value, sorted by name.
	Assigned []Assignment
	// Stopped reports whether stop() ended the evaluation; statements
	// before it took effect.
	Stopped bool
}

// MaxTarget caps the integer targets returned by Result.Targets.
const MaxTarget = math.MaxInt32

// Targets returns the node targets the pool applies: truncated toward zero
// (2.9 → 2, as Azure does), negatives clamped to 0, capped at MaxTarget.
func (r *Result) Targets() (dedicated, lowPriority int) {
	return nodes(r.TargetDedicatedNodes), nodes(r.TargetLowPriorityNodes)
}

func nodes(f float64) int {
	switch {
	case !(f > 0):
		return 0
	case f >= MaxTarget:
		return MaxTarget
	}
	return int(f)
}

// String renders r as Azure renders an autoscale run's results: the three
// outputs first, then the other assigned variables sorted by name, joined
// by ";".
func (r *Result) String() string {
	parts := []string{
		"$TargetDedicatedNodes=" + formatNumber(r.TargetDedicatedNodes),
		"$TargetLowPriorityNodes=" + formatNumber(r.TargetLowPriorityNodes),
		"$NodeDeallocationOption=" + r.NodeDeallocationOption,
	}
	for _, a := range r.Assigned {
		switch a.Name {
		case "$TargetDedicatedNodes", "$TargetLowPriorityNodes", "$NodeDeallocationOption":
			continue
		}
		parts = append(parts, a.String())
	}
	return strings.Join(parts, ";")
}

// evaluator runs one evaluation of a formula.
type evaluator struct {
	f   *Formula
	env Env
	now time.Time
	// vals holds the variables assigned so far by slot (resolve), set
	// says which are.
	vals []value
	set  []bool
	// arena holds the evaluation's doubleVecs, stack the arguments of the
	// calls being evaluated, c the call being made (calls do not nest:
	// arguments are evaluated first).
	arena []float64
	stack []value
	c     call
	// flat is the scratch stack of the fast path's reductions
	// (compileReduce): each flattens its arguments onto it and pops them.
	flat []float64
}

// Eval evaluates f against env. On failure (a GetSample percentage not
// met, an index out of range, a non-finite target, ...) it returns a
// positioned *Error and no result: the pool's targets stay as they are.
func (f *Formula) Eval(env Env) (*Result, error) {
	ev := newEvaluator(f)
	res := &Result{}
	if err := ev.run(env, res); err != nil {
		return nil, err
	}
	for i, name := range f.names {
		if ev.set[i] {
			res.Assigned = append(res.Assigned, Assignment{Name: name, Value: formatValue(ev.vals[i])})
		}
	}
	sort.Slice(res.Assigned, func(i, j int) bool { return res.Assigned[i].Name < res.Assigned[j].Name })
	return res, nil
}

// An Evaluator evaluates one formula again and again, as a pool does at
// every autoscale interval, reusing its memory: in steady state an
// evaluation allocates nothing but what vector arithmetic and element-wise
// functions return. It is not safe for concurrent use.
type Evaluator struct {
	ev  evaluator
	res Result
}

// Evaluator returns an Evaluator of f.
func (f *Formula) Evaluator() *Evaluator {
	return &Evaluator{ev: *newEvaluator(f)}
}

// newEvaluator returns an evaluator of f with no variable assigned.
func newEvaluator(f *Formula) *evaluator {
	return &evaluator{f: f, vals: make([]value, len(f.names)), set: make([]bool, len(f.names))}
}

// Eval is Formula.Eval without Result.Assigned (the formatted values of
// every variable, which a simulation does not read). The result is valid
// until the next call.
func (e *Evaluator) Eval(env Env) (*Result, error) {
	clear(e.ev.vals)
	clear(e.ev.set)
	e.ev.arena, e.ev.stack, e.ev.flat = e.ev.arena[:0], e.ev.stack[:0], e.ev.flat[:0]
	e.res = Result{}
	if err := e.ev.run(env, &e.res); err != nil {
		return nil, err
	}
	return &e.res, nil
}

// run runs every statement and fills in res's targets.
func (ev *evaluator) run(env Env, res *Result) error {
	ev.env, ev.now = env, env.Now().UTC()
	for _, s := range ev.f.stmts {
		if err := ev.stmt(s); err != nil {
			if errors.Is(err, errStop) {
				res.Stopped = true
				break
			}
			return err
		}
	}
	t := &ev.f.targets
	res.TargetDedicatedNodes = ev.serviceNum(outputVars[0], t[0])
	res.TargetLowPriorityNodes = ev.serviceNum(outputVars[1], t[1])
	res.NodeDeallocationOption = ev.service(outputVars[2], t[2]).str
	return nil
}

// fail positions err at off unless it already carries a position.
func (ev *evaluator) fail(off int, err error) error {
	if errors.Is(err, errStop) {
		return err
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	return ev.f.src.errorAt(off, "%v", err)
}

// stmt runs one statement.
func (ev *evaluator) stmt(s stmt) error {
	switch s := s.(type) {
	case *exprStmt:
		_, err := ev.expr(s.x)
		return err
	case *assignStmt:
		var v value
		var err error
		if s.num != nil {
			v.typ = TypeDouble
			v.num, err = s.num(ev)
		} else {
			v, err = ev.expr(s.value)
		}
		if err != nil {
			return err
		}
		if s.target != nil {
			switch s.target.Kind {
			case VarTarget:
				if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
					return ev.f.src.errorAt(s.off, "%s = %s: a node target must be a finite number", s.name, formatNumber(v.num))
				}
			case VarOption:
				if !isKeyword(v.str) {
					return ev.f.src.errorAt(s.off, "invalid %s value %q: want requeue, terminate, taskcompletion or retaineddata", s.name, v.str)
				}
			}
		}
		ev.vals[s.slot], ev.set[s.slot] = v, true
		return nil
	}
	panic(fmt.Sprintf("autoscale: unexpected statement %T", s))
}

// isKeyword is keywords[s] without hashing s.
func isKeyword(s string) bool {
	switch s {
	case Requeue, Terminate, TaskCompletion, RetainedData:
		return true
	}
	return false
}

// serviceNum is service(v, slots).num for a double variable.
func (ev *evaluator) serviceNum(v *Var, slots []int) float64 {
	for _, s := range slots {
		if ev.set[s] {
			return ev.vals[s].num
		}
	}
	return ev.env.Value(v.Canonical())
}

// service reads a service variable: its own assignment, else its alias
// partner's (slots, from serviceSlots), else the pool's current value.
func (ev *evaluator) service(v *Var, slots []int) value {
	for _, s := range slots {
		if ev.set[s] {
			return ev.vals[s]
		}
	}
	if v.Kind == VarOption {
		return str(Requeue)
	}
	return num(ev.env.Value(v.Canonical()))
}

// expr evaluates e.
func (ev *evaluator) expr(e expr) (value, error) {
	switch e := e.(type) {
	case *numberLit:
		return num(e.value), nil
	case *stringLit:
		return str(e.value), nil
	case *vectorLit:
		base := len(ev.stack)
		vals, err := ev.exprs(e.elems)
		if err != nil {
			return value{}, err
		}
		flat := ev.flatten(vals)
		v := vec(append(ev.floats(len(flat))[:0], flat...))
		ev.stack = ev.stack[:base]
		return v, nil
	case *ident:
		switch e.kind {
		case identKeyword:
			return str(e.name), nil
		case identConst:
			return interval(e.iv), nil
		case identService:
			return ev.service(e.v, e.slots), nil
		}
		if e.slot < 0 {
			return value{}, nil
		}
		return ev.vals[e.slot], nil
	case *unaryExpr:
		x, err := ev.expr(e.x)
		if err != nil {
			return value{}, err
		}
		v, err := unary(e.op, x)
		if err != nil {
			return value{}, ev.fail(e.off, err)
		}
		return v, nil
	case *binaryExpr:
		if e.folded != nil {
			return *e.folded, nil
		}
		return ev.binary(e)
	case *condExpr:
		c, err := ev.expr(e.cond)
		if err != nil {
			return value{}, err
		}
		if c.num != 0 {
			return ev.expr(e.then)
		}
		return ev.expr(e.els)
	case *callExpr:
		base := len(ev.stack)
		args, err := ev.exprs(e.args)
		if err != nil {
			return value{}, err
		}
		ev.c = call{ev: ev, sig: e.sig}
		v, err := e.fn.call(&ev.c, args)
		ev.stack = ev.stack[:base]
		if err != nil {
			return value{}, ev.fail(e.off, err)
		}
		return v, nil
	case *memberExpr:
		x, err := ev.expr(e.x)
		if err != nil {
			return value{}, err
		}
		return num(member(x.ts, e.name)), nil
	case *methodExpr:
		base := len(ev.stack)
		args := e.consts
		if args == nil {
			var err error
			if args, err = ev.exprs(e.args); err != nil {
				return value{}, err
			}
		}
		ev.c = call{ev: ev, sig: e.sig, hist: ev.env.Metric(e.v.Canonical()), name: e.v.Name}
		v, err := e.m.call(&ev.c, args)
		ev.stack = ev.stack[:base]
		if err != nil {
			return value{}, ev.fail(start(e), err)
		}
		return v, nil
	}
	panic(fmt.Sprintf("autoscale: unexpected node %T", e))
}

// exprs evaluates es onto the stack and returns them there; the caller
// pops them (truncates the stack to its length before the call) once used.
func (ev *evaluator) exprs(es []expr) ([]value, error) {
	base := len(ev.stack)
	for _, e := range es {
		v, err := ev.expr(e)
		if err != nil {
			ev.stack = ev.stack[:base]
			return nil, err
		}
		ev.stack = append(ev.stack, v)
	}
	return ev.stack[base:len(ev.stack):len(ev.stack)], nil
}

// binary evaluates a binary operation; && and || short-circuit.
func (ev *evaluator) binary(e *binaryExpr) (value, error) {
	x, err := ev.expr(e.x)
	if err != nil {
		return value{}, err
	}
	switch {
	case e.op == tokAnd && x.num == 0:
		return num(0), nil
	case e.op == tokOr && x.num != 0:
		return num(1), nil
	}
	y, err := ev.expr(e.y)
	if err != nil {
		return value{}, err
	}
	v, err := binary(e.op, x, y)
	if err != nil {
		return value{}, ev.fail(e.off, err)
	}
	return v, nil
}

// member returns a timestamp member; weekday is 1 (Monday) to 7 (Sunday).
func member(t time.Time, name string) float64 {
	switch name {
	case "year":
		return float64(t.Year())
	case "month":
		return float64(t.Month())
	case "day":
		return float64(t.Day())
	case "weekday":
		if wd := t.Weekday(); wd != time.Sunday {
			return float64(wd)
		}
		return 7
	case "hour":
		return float64(t.Hour())
	case "minute":
		return float64(t.Minute())
	case "second":
		return float64(t.Second())
	}
	panic("autoscale: unknown timestamp member " + name)
}
