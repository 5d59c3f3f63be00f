package autoscale

import "fmt"

// numFn evaluates a double-typed expression to its number, without
// building a value: the fast path of an evaluation. compileNum builds one
// for every assigned double once, at parse time (resolve); a node it has
// no fast path for (a method, a vector, a timestamp operation) is
// evaluated by the general evaluator (ev.expr), so the two always agree:
// the fast path applies the same operators (binary, arith, compare,
// unary) and reductions to the same operands in the same order.
type numFn func(ev *evaluator) (float64, error)

func isDouble(e expr) bool { return e.typeOf() == TypeDouble }

// compileNum returns the fast path of double-typed e.
func compileNum(e expr) numFn {
	switch e := e.(type) {
	case *numberLit:
		x := e.value
		return func(*evaluator) (float64, error) { return x, nil }
	case *ident:
		switch e.kind {
		case identUser:
			if s := e.slot; s >= 0 {
				return func(ev *evaluator) (float64, error) { return ev.vals[s].num, nil }
			}
		case identService:
			v, slots := e.v, e.slots
			return func(ev *evaluator) (float64, error) { return ev.serviceNum(v, slots), nil }
		}
	case *unaryExpr:
		if isDouble(e.x) {
			x, op := compileNum(e.x), e.op
			return func(ev *evaluator) (float64, error) {
				a, err := x(ev)
				if err != nil {
					return 0, err
				}
				v, _ := unary(op, num(a)) // never fails on a double
				return v.num, nil
			}
		}
	case *binaryExpr:
		if e.folded != nil {
			x := e.folded.num
			return func(*evaluator) (float64, error) { return x, nil }
		}
		if isDouble(e.x) && isDouble(e.y) {
			return compileBinary(e)
		}
	case *condExpr:
		if isDouble(e.cond) && isDouble(e.then) && isDouble(e.els) {
			c, t, f := compileNum(e.cond), compileNum(e.then), compileNum(e.els)
			return func(ev *evaluator) (float64, error) {
				x, err := c(ev)
				if err != nil {
					return 0, err
				}
				if x != 0 {
					return t(ev)
				}
				return f(ev)
			}
		}
	case *callExpr:
		if e.fn.reduce != nil {
			return compileReduce(e)
		}
	}
	return func(ev *evaluator) (float64, error) {
		v, err := ev.expr(e)
		return v.num, err
	}
}

// compileBinary is the fast path of an operator on two doubles; && and ||
// short-circuit as evaluator.binary does.
func compileBinary(e *binaryExpr) numFn {
	x, y, op := compileNum(e.x), compileNum(e.y), e.op
	return func(ev *evaluator) (float64, error) {
		a, err := x(ev)
		if err != nil {
			return 0, err
		}
		switch {
		case op == tokAnd && a == 0:
			return 0, nil
		case op == tokOr && a != 0:
			return 1, nil
		}
		b, err := y(ev)
		if err != nil {
			return 0, err
		}
		switch op {
		case tokAnd, tokOr, tokLT, tokLE, tokGT, tokGE, tokEq, tokNE:
			v, _ := binary(op, num(a), num(b)) // never fails on doubles
			return v.num, nil
		}
		return arith(op, a, b), nil
	}
}

// compileReduce is the fast path of a reduction of a doubleVecList (min,
// max, avg, ...): its arguments, flattened in order onto the evaluation's
// scratch stack, then reduced as the function's call does.
func compileReduce(e *callExpr) numFn {
	type arg struct {
		num numFn // a double's, or nil for a doubleVec (general evaluator)
		x   expr
	}
	args := make([]arg, len(e.args))
	for i, a := range e.args {
		args[i].x = a
		if isDouble(a) {
			args[i].num = compileNum(a)
		}
	}
	fn, off := e.fn, e.off
	return func(ev *evaluator) (float64, error) {
		base := len(ev.flat)
		for _, a := range args {
			if a.num != nil {
				x, err := a.num(ev)
				if err != nil {
					ev.flat = ev.flat[:base]
					return 0, err
				}
				ev.flat = append(ev.flat, x)
				continue
			}
			v, err := ev.expr(a.x)
			if err != nil {
				ev.flat = ev.flat[:base]
				return 0, err
			}
			ev.flat = append(ev.flat, v.vec...)
		}
		vals := ev.flat[base:]
		ev.flat = ev.flat[:base] // vals stays valid: nothing appends until reduce returns
		if len(vals) == 0 && !fn.emptyOK {
			return 0, ev.fail(off, fmt.Errorf("%s of an empty vector", fn.Name))
		}
		return fn.reduce(vals), nil
	}
}
