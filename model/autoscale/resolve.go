package autoscale

import "slices"

// The three outputs of a formula, in Formula.targets order.
var (
	outputs    = [3]string{"$TargetDedicatedNodes", "$TargetLowPriorityNodes", "$NodeDeallocationOption"}
	outputVars = [3]*Var{varsByName[outputs[0]], varsByName[outputs[1]], varsByName[outputs[2]]}
)

// resolve gives every variable the formula assigns a slot (f.names), and
// every assignment and variable reference the slots it writes or reads,
// so that an evaluation stores its variables in a slice indexed by slot,
// not in a map by name. It runs once, when the formula is parsed: a
// Formula is read-only after that, and safe to evaluate concurrently.
func resolve(f *Formula) {
	slot := map[string]int{}
	for _, s := range f.stmts {
		if a, ok := s.(*assignStmt); ok {
			if _, ok := slot[a.name]; !ok {
				slot[a.name] = len(f.names)
				f.names = append(f.names, a.name)
			}
			a.slot = slot[a.name]
		}
	}
	var walk func(e expr)
	walk = func(e expr) {
		switch e := e.(type) {
		case *ident:
			switch e.kind {
			case identUser:
				e.slot = -1 // never assigned: reads as the zero value (the checker refuses it)
				if s, ok := slot[e.name]; ok {
					e.slot = s
				}
			case identService:
				e.slots = serviceSlots(e.v, slot)
			case identConst:
				e.iv = timeIntervals[e.name]
			}
		case *vectorLit:
			for _, x := range e.elems {
				walk(x)
			}
		case *unaryExpr:
			walk(e.x)
		case *binaryExpr:
			walk(e.x)
			walk(e.y)
			fold(f, e)
		case *condExpr:
			walk(e.cond)
			walk(e.then)
			walk(e.els)
		case *callExpr:
			for _, x := range e.args {
				walk(x)
			}
		case *memberExpr:
			walk(e.x)
		case *methodExpr:
			walk(e.recv)
			for _, x := range e.args {
				walk(x)
			}
			e.consts = constArgs(f, e.args)
		}
	}
	for _, s := range f.stmts {
		switch s := s.(type) {
		case *assignStmt:
			walk(s.value)
			if isDouble(s.value) {
				s.num = compileNum(s.value)
			}
		case *exprStmt:
			walk(s.x)
		}
	}
	for i, name := range outputs {
		f.targets[i] = serviceSlots(varsByName[name], slot)
	}
}

// serviceSlots returns the slots a read of service variable v looks in, in
// order: its own name as written, its canonical name, then the aliases of
// that canonical name; only names the formula assigns have a slot.
func serviceSlots(v *Var, slot map[string]int) []int {
	full := v.Canonical()
	names := []string{v.Name, full}
	for _, a := range Variables {
		if a.Alias == full {
			names = append(names, a.Name)
		}
	}
	var out []int
	for _, n := range names {
		if s, ok := slot[n]; ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// fold precomputes an operation on constants, such as the window
// TimeInterval_Minute * 15 of a GetSample: its value when the operands
// are literals, TimeInterval_* constants or folded operations, and it
// succeeds (one that fails is left to fail at every evaluation, as
// before). Vectors are not folded: an evaluation's vectors live in its
// arena.
func fold(f *Formula, e *binaryExpr) {
	if !constant(e.x) || !constant(e.y) {
		return
	}
	v, err := (&evaluator{f: f}).binary(e)
	if err != nil || v.typ == TypeDoubleVec {
		return
	}
	e.folded = &v
}

// constant reports whether e has the same value at every evaluation and
// can be computed without an environment.
func constant(e expr) bool {
	switch e := e.(type) {
	case *numberLit, *stringLit:
		return true
	case *ident:
		return e.kind == identConst || e.kind == identKeyword
	case *binaryExpr:
		return e.folded != nil
	}
	return false
}

// constArgs returns the values of args when every one is constant (a
// method's window, a sample count), computed by the evaluator as fold
// computes an operation's: the evaluation passes them as they are,
// read-only, instead of evaluating them again. Else nil.
func constArgs(f *Formula, args []expr) []value {
	out := make([]value, 0, len(args))
	for _, a := range args {
		if !constant(a) {
			return nil
		}
		v, err := (&evaluator{f: f}).expr(a)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}
