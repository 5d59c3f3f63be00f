package autoscale

import (
	"fmt"
	"strings"
)

// checker resolves names and computes the type of every expression. A
// formula is straight-line code, so the type of a user variable at each
// statement is exactly the type of its latest assignment.
type checker struct {
	src  *source
	vars map[string]Type // user variables assigned so far
	errs ErrorList
}

// check type-checks f, annotating its tree.
func check(f *Formula) ErrorList {
	c := &checker{src: f.src, vars: map[string]Type{}}
	for _, s := range f.stmts {
		switch s := s.(type) {
		case *assignStmt:
			c.assign(s)
		case *exprStmt:
			if t := c.expr(s.x); t == TypeMetric {
				c.errorf(s.x.pos(), "%s", metricMsg(s.x))
			}
		}
	}
	return c.errs
}

func (c *checker) errorf(off int, format string, args ...any) {
	c.errs = append(c.errs, c.src.errorAt(off, format, args...))
}

// assign checks "name = value".
func (c *checker) assign(s *assignStmt) {
	t := c.value(s.value)
	if keywords[s.name] {
		c.errorf(s.off, "cannot assign to %s: it is a $NodeDeallocationOption value", s.name)
		return
	}
	if _, ok := timeIntervals[s.name]; ok {
		c.errorf(s.off, "cannot assign to constant %s", s.name)
		return
	}
	v, ok := LookupVar(s.name)
	if !ok {
		if t != TypeInvalid {
			c.vars[s.name] = t
		} else {
			c.vars[s.name] = TypeInvalid
		}
		return
	}
	s.target = v
	switch {
	case v.ReadOnly():
		c.errorf(s.off, "cannot assign to %s: it is a read-only service variable", s.name)
	case t == TypeInvalid:
	case t != v.Type():
		c.errorf(s.off, "cannot assign %s to %s (want %s)", t, s.name, v.Type())
	case v.Kind == VarOption:
		if lit, ok := constString(s.value); ok && !keywords[lit] {
			c.errorf(start(s.value), "invalid %s value %q: want requeue, terminate, taskcompletion or retaineddata", s.name, lit)
		}
	}
}

// constString returns the value of a string literal or bare keyword.
func constString(e expr) (string, bool) {
	switch e := e.(type) {
	case *stringLit:
		return e.value, true
	case *ident:
		if e.kind == identKeyword {
			return e.name, true
		}
	}
	return "", false
}

// value checks e where a value is needed: metrics and stop() are errors.
func (c *checker) value(e expr) Type {
	switch t := c.expr(e); t {
	case TypeMetric:
		c.errorf(e.pos(), "%s", metricMsg(e))
		return TypeInvalid
	case TypeVoid:
		c.errorf(start(e), "stop() has no value")
		return TypeInvalid
	default:
		return t
	}
}

func metricMsg(e expr) string {
	name := e.(*ident).name
	return fmt.Sprintf("%s is a sampled metric: use one of its methods, such as %s.GetSample(1)", name, name)
}

// expr computes and records the type of e. It returns TypeMetric only for a
// bare reference to a sampled metric, which callers other than a method
// call reject.
func (c *checker) expr(e expr) Type {
	t := c.expr1(e)
	if n, ok := e.(interface{ setType(Type) }); ok {
		n.setType(t)
	}
	return t
}

func (c *checker) expr1(e expr) Type {
	switch e := e.(type) {
	case *numberLit:
		return TypeDouble
	case *stringLit:
		return TypeString
	case *vectorLit:
		ok := true
		for _, el := range e.elems {
			if t := c.value(el); t != TypeInvalid && t != TypeDouble && t != TypeDoubleVec {
				c.errorf(start(el), "vector element must be double or doubleVec, not %s", t)
				ok = false
			}
		}
		if !ok {
			return TypeInvalid
		}
		return TypeDoubleVec
	case *ident:
		return c.ident(e)
	case *unaryExpr:
		t := c.value(e.x)
		if t == TypeInvalid {
			return t
		}
		if res, ok := unaryResults[e.op][t]; ok {
			return res
		}
		c.errorf(e.off, "operator %s not defined on %s", e.op, t)
		return TypeInvalid
	case *binaryExpr:
		return c.binary(e)
	case *condExpr:
		return c.cond(e)
	case *callExpr:
		return c.call(e)
	case *memberExpr:
		return c.member(e)
	case *methodExpr:
		return c.method(e)
	}
	panic(fmt.Sprintf("autoscale: unexpected node %T", e))
}

// ident resolves a name.
func (c *checker) ident(e *ident) Type {
	if keywords[e.name] {
		e.kind = identKeyword
		return TypeString
	}
	if _, ok := timeIntervals[e.name]; ok {
		e.kind = identConst
		return TypeTimeInterval
	}
	if v, ok := LookupVar(e.name); ok {
		e.kind, e.v = identService, v
		return v.Type()
	}
	e.kind = identUser
	if t, ok := c.vars[e.name]; ok {
		return t
	}
	switch {
	case similarVar(e.name) != "":
		c.errorf(e.off, "undefined variable %s (did you mean %s?)", e.name, similarVar(e.name))
	case strings.HasPrefix(e.name, "TimeInterval_"):
		c.errorf(e.off, "unknown constant %s", e.name)
	case Functions[e.name] != nil:
		c.errorf(e.off, "%s is a function: call it as %s(...)", e.name, e.name)
	default:
		c.errorf(e.off, "undefined variable %s", e.name)
	}
	return TypeInvalid
}

// binary checks a binary operation against the operator table.
func (c *checker) binary(e *binaryExpr) Type {
	l, r := c.value(e.x), c.value(e.y)
	if l == TypeInvalid || r == TypeInvalid {
		return TypeInvalid
	}
	if res, ok := binaryResults[e.op][[2]Type{l, r}]; ok {
		return res
	}
	hint := ""
	switch {
	case e.op == tokSub && l == TypeTimestamp && r == TypeTimeInterval:
		hint = " (add a negative interval instead: t + (-1 * i))"
	case l == TypeDouble && r == TypeDoubleVec && e.op != tokAnd && e.op != tokOr && binaryResults[e.op][[2]Type{r, l}] != TypeInvalid:
		hint = " (put the doubleVec on the left)"
	}
	c.errorf(e.off, "operator %s not defined on %s and %s%s", e.op, l, r, hint)
	return TypeInvalid
}

// cond checks "cond ? then : els". A branch that is stop() takes the type
// of the other branch.
func (c *checker) cond(e *condExpr) Type {
	ct := c.value(e.cond)
	if ct != TypeInvalid && ct != TypeDouble {
		c.errorf(start(e.cond), "condition of ?: must be double, not %s", ct)
	}
	tt, et := c.branch(e.then), c.branch(e.els)
	switch {
	case tt == TypeInvalid || et == TypeInvalid:
		return TypeInvalid
	case tt == TypeVoid:
		return et
	case et == TypeVoid || tt == et:
		return tt
	}
	c.errorf(e.off, "branches of ?: have different types %s and %s", tt, et)
	return TypeInvalid
}

// branch checks a ?: branch, which may be stop().
func (c *checker) branch(e expr) Type {
	t := c.expr(e)
	if t == TypeMetric {
		c.errorf(e.pos(), "%s", metricMsg(e))
		return TypeInvalid
	}
	return t
}

// member checks "x.name" on a timestamp.
func (c *checker) member(e *memberExpr) Type {
	if id, ok := e.x.(*ident); ok && Methods[e.name] != nil {
		if v, ok := LookupVar(id.name); ok && v.Sampled() {
			c.errorf(e.off, "method %s must be called: %s.%s()", e.name, id.name, e.name)
			return TypeInvalid
		}
	}
	t := c.value(e.x)
	if t == TypeInvalid {
		return t
	}
	if t != TypeTimestamp {
		c.errorf(e.off, "member .%s needs a timestamp, not %s", e.name, t)
		return TypeInvalid
	}
	if !timestampMembers[e.name] {
		c.errorf(e.off, "unknown timestamp member .%s (want year, month, day, weekday, hour, minute or second)", e.name)
		return TypeInvalid
	}
	return TypeDouble
}

// timestampMembers are the members of a timestamp.
var timestampMembers = map[string]bool{
	"year": true, "month": true, "day": true, "weekday": true, "hour": true, "minute": true, "second": true,
}

// method checks "recv.name(args)" on a sampled service variable.
func (c *checker) method(e *methodExpr) Type {
	id, ok := e.recv.(*ident)
	var v *Var
	if ok {
		v, ok = LookupVar(id.name)
		ok = ok && v.Sampled()
	}
	if !ok {
		if timestampMembers[e.name] {
			c.errorf(e.off, "%s is a timestamp member, not a method: write .%s without ()", e.name, e.name)
		} else if t := c.value(e.recv); t != TypeInvalid {
			c.errorf(e.off, "method %s needs a sampled service variable such as $PendingTasks, not %s", e.name, t)
		}
		c.args(e.args)
		return TypeInvalid
	}
	id.kind, id.v, id.typ = identService, v, TypeMetric
	e.v = v
	m := Methods[e.name]
	if m == nil {
		c.errorf(e.off, "unknown method %s of %s", e.name, id.name)
		c.args(e.args)
		return TypeInvalid
	}
	e.m = m
	sig, t := c.match(m, e.off, e.args)
	e.sig = sig
	return t
}

// call checks a built-in function call.
func (c *checker) call(e *callExpr) Type {
	f := Functions[e.name]
	if f == nil {
		c.errorf(e.off, "unknown function %s", e.name)
		c.args(e.args)
		return TypeInvalid
	}
	e.fn = f
	sig, t := c.match(f, e.off, e.args)
	e.sig = sig
	if e.name == "time" && len(e.args) == 1 {
		if s, ok := e.args[0].(*stringLit); ok && s.value != "" {
			if _, err := parseTime(s.value); err != nil {
				c.errorf(s.off, "%v", err)
			}
		}
	}
	return t
}

// args checks arguments and returns their types.
func (c *checker) args(args []expr) []Type {
	ts := make([]Type, len(args))
	for i, a := range args {
		ts[i] = c.value(a)
	}
	return ts
}

// match picks the first signature of f accepting args.
func (c *checker) match(f *Function, off int, args []expr) (*Signature, Type) {
	ts := c.args(args)
	for _, t := range ts {
		if t == TypeInvalid {
			return nil, TypeInvalid
		}
	}
	for i := range f.Sigs {
		if sigAccepts(&f.Sigs[i], ts) {
			return &f.Sigs[i], f.Sigs[i].Result
		}
	}
	if len(f.Sigs) == 1 {
		sig := &f.Sigs[0]
		if len(sig.Params) == 1 && sig.Params[0] == TypeDoubleVecList {
			for i, t := range ts {
				if !TypeDoubleVecList.accepts(t) {
					c.errorf(start(args[i]), "%s: argument %d is %s, want double or doubleVec", f.Name, i+1, t)
				}
			}
			return nil, TypeInvalid
		}
		if len(sig.Params) != len(ts) {
			c.errorf(off, "wrong number of arguments to %s: have %d, want %d", f.Name, len(ts), len(sig.Params))
			return nil, TypeInvalid
		}
		for i, t := range ts {
			if !sig.Params[i].accepts(t) {
				c.errorf(start(args[i]), "%s: argument %d is %s, want %s", f.Name, i+1, t, sig.Params[i])
			}
		}
		return nil, TypeInvalid
	}
	forms := make([]string, len(f.Sigs))
	for i := range f.Sigs {
		forms[i] = f.Name + f.Sigs[i].String()
	}
	have := make([]string, len(ts))
	for i, t := range ts {
		have[i] = t.String()
	}
	c.errorf(off, "no form of %s takes (%s); forms are %s", f.Name, strings.Join(have, ", "), strings.Join(forms, ", "))
	return nil, TypeInvalid
}

// sigAccepts reports whether sig accepts arguments of types ts.
func sigAccepts(sig *Signature, ts []Type) bool {
	if len(sig.Params) == 1 && sig.Params[0] == TypeDoubleVecList {
		for _, t := range ts {
			if !TypeDoubleVecList.accepts(t) {
				return false
			}
		}
		return true
	}
	if len(sig.Params) != len(ts) {
		return false
	}
	for i, t := range ts {
		if !sig.Params[i].accepts(t) {
			return false
		}
	}
	return true
}
