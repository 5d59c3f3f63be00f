package autoscale

// The syntax tree. Every node records the byte offset of its first token
// (or, for operators, of the operator) in its formula's source. The checker
// fills in the unexported typ and resolution fields; the printer and the
// structural comparison used by tests ignore them.

// node is implemented by every statement and expression.
type node interface {
	pos() int // byte offset in the formula source
}

// stmt is a statement: an assignment or an expression evaluated for effect.
type stmt interface {
	node
	stmtNode()
}

// expr is an expression.
type expr interface {
	node
	exprNode()
	typeOf() Type
}

// assignStmt is "name = value".
type assignStmt struct {
	off   int    // offset of name
	name  string // as written, with its $ if any
	value expr

	target *Var  // service variable assigned, nil for a user variable
	slot   int   // the variable's slot (resolve)
	num    numFn // the fast path of a double value (compileNum), else nil
}

// exprStmt is an expression evaluated for its effect, such as stop().
type exprStmt struct {
	x expr
}

func (s *assignStmt) pos() int { return s.off }
func (s *exprStmt) pos() int   { return s.x.pos() }
func (*assignStmt) stmtNode()  {}
func (*exprStmt) stmtNode()    {}

// typed carries the type the checker gave an expression.
type typed struct{ typ Type }

func (t *typed) typeOf() Type { return t.typ }

func (t *typed) setType(x Type) { t.typ = x }

// numberLit is a numeric literal.
type numberLit struct {
	typed
	off   int
	value float64
}

// stringLit is a double-quoted string literal; value excludes the quotes.
type stringLit struct {
	typed
	off   int
	value string
}

// vectorLit is "[a, b, ...]"; elements are doubles or doubleVecs, flattened.
type vectorLit struct {
	typed
	off   int
	elems []expr
}

// identKind says what a name refers to.
type identKind uint8

const (
	identUser    identKind = iota // user-defined variable
	identService                  // service-defined variable
	identConst                    // TimeInterval_* constant
	identKeyword                  // requeue, terminate, taskcompletion, retaineddata
)

// ident is a variable, constant or keyword reference.
type ident struct {
	typed
	off  int
	name string

	kind identKind
	v    *Var // for identService

	// Resolved before evaluation (resolve): a user variable's slot, the
	// slots a service variable reads (serviceSlots), a constant's ticks.
	slot  int
	slots []int
	iv    int64
}

// unaryExpr is "-x" or "!x".
type unaryExpr struct {
	typed
	off int
	op  tokenKind
	x   expr
}

// binaryExpr is "x op y"; off is the operator's offset.
type binaryExpr struct {
	typed
	off  int
	op   tokenKind
	x, y expr

	folded *value // its value when constant (resolve), else nil
}

// condExpr is "cond ? then : els"; off is the offset of "?".
type condExpr struct {
	typed
	off             int
	cond, then, els expr
}

// callExpr is a built-in function call "name(args)".
type callExpr struct {
	typed
	off  int
	name string
	args []expr

	fn  *Function
	sig *Signature
}

// memberExpr is "x.name" on a timestamp; off is the offset of name.
type memberExpr struct {
	typed
	x    expr
	off  int
	name string
}

// methodExpr is "recv.name(args)" on a metric variable; off is the offset
// of name.
type methodExpr struct {
	typed
	recv expr
	off  int
	name string
	args []expr

	m   *Function
	sig *Signature
	v   *Var // the receiver's variable

	consts []value // its arguments' values when all are constant (resolve), else nil
}

func (e *numberLit) pos() int  { return e.off }
func (e *stringLit) pos() int  { return e.off }
func (e *vectorLit) pos() int  { return e.off }
func (e *ident) pos() int      { return e.off }
func (e *unaryExpr) pos() int  { return e.off }
func (e *binaryExpr) pos() int { return e.off }
func (e *condExpr) pos() int   { return e.off }
func (e *callExpr) pos() int   { return e.off }
func (e *memberExpr) pos() int { return e.off }
func (e *methodExpr) pos() int { return e.off }

func (*numberLit) exprNode()  {}
func (*stringLit) exprNode()  {}
func (*vectorLit) exprNode()  {}
func (*ident) exprNode()      {}
func (*unaryExpr) exprNode()  {}
func (*binaryExpr) exprNode() {}
func (*condExpr) exprNode()   {}
func (*callExpr) exprNode()   {}
func (*memberExpr) exprNode() {}
func (*methodExpr) exprNode() {}

// start returns the offset of the first token of e, for error positions
// that should point at the beginning of an operand.
func start(e expr) int {
	switch e := e.(type) {
	case *binaryExpr:
		return start(e.x)
	case *condExpr:
		return start(e.cond)
	case *memberExpr:
		return start(e.x)
	case *methodExpr:
		return start(e.recv)
	}
	return e.pos()
}
