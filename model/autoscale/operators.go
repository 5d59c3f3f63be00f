package autoscale

import "strings"

// The operator tables: precedence for the parser and printer, operand and
// result types for the checker (Azure's documented operator table).

// binaryPrec gives the precedence of each binary operator (higher binds
// tighter). All binary operators are left-associative; ?: (precedence 0) is
// right-associative and handled by parseExpr.
var binaryPrec = map[tokenKind]int{
	tokOr:  1,
	tokAnd: 2,
	tokEq:  3, tokNE: 3,
	tokLT: 4, tokLE: 4, tokGT: 4, tokGE: 4,
	tokAdd: 5, tokSub: 5,
	tokMul: 6, tokDiv: 6,
}

// unaryPrec is the precedence of prefix - and !, above every binary operator.
const unaryPrec = 7

// binaryResults is the operator table of Azure's documentation: for each
// operator, the operand types it accepts and the result type.
var binaryResults = map[tokenKind]map[[2]Type]Type{}

func init() {
	add := func(ops string, l, r, res Type) {
		for _, op := range strings.Fields(ops) {
			k := opKind[op]
			if binaryResults[k] == nil {
				binaryResults[k] = map[[2]Type]Type{}
			}
			binaryResults[k][[2]Type{l, r}] = res
		}
	}
	D, V, S, TS, TI := TypeDouble, TypeDoubleVec, TypeString, TypeTimestamp, TypeTimeInterval
	add("+ - * /", D, D, D)
	add("*", D, TI, TI)
	add("+ - * /", V, D, V)
	add("+ - * /", V, V, V)
	add("* /", TI, D, TI)
	add("+ -", TI, TI, TI)
	add("+", TI, TS, TS)
	add("+", TS, TI, TS)
	add("-", TS, TS, TI)
	for _, t := range []Type{D, S, TS, TI} {
		add("< <= == >= > !=", t, t, D)
	}
	add("&& ||", D, D, D)
}

// opKind maps operator text to its token kind.
var opKind = func() map[string]tokenKind {
	m := map[string]tokenKind{}
	for k := tokAssign; k <= tokOr; k++ {
		m[k.String()] = k
	}
	return m
}()

// unaryResults is the documented table of prefix operators.
var unaryResults = map[tokenKind]map[Type]Type{
	tokSub: {TypeDouble: TypeDouble, TypeTimeInterval: TypeTimeInterval},
	tokNot: {TypeDouble: TypeDouble},
}
