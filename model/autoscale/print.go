package autoscale

import "strings"

// String returns f's canonical form: one statement per line, each ended by
// ";", single spaces around binary operators, parentheses only where
// precedence needs them, comments dropped and numbers normalized.
// Parse(f.String()) yields a formula equal to f, provided the canonical form
// still fits in MaxSource bytes (the added spaces can push a formula at the
// limit over it).
func (f *Formula) String() string {
	var b strings.Builder
	for _, s := range f.stmts {
		writeStmt(&b, s)
		b.WriteString(";\n")
	}
	return b.String()
}

// Name returns the name f was parsed with.
func (f *Formula) Name() string { return f.src.name }

// Source returns the text f was parsed from.
func (f *Formula) Source() string { return f.src.text }

func writeStmt(b *strings.Builder, s stmt) {
	switch s := s.(type) {
	case *assignStmt:
		b.WriteString(s.name)
		b.WriteString(" = ")
		writeExpr(b, s.value, 0)
	case *exprStmt:
		writeExpr(b, s.x, 0)
	}
}

// Precedence levels for printing: ?: is 0, binary operators 1-6 (see
// binaryPrec), prefix operators 7, postfix selectors and primaries 8.
const postfixPrec = 8

// writeExpr writes e, parenthesized if its precedence is below ctx.
func writeExpr(b *strings.Builder, e expr, ctx int) {
	prec := exprPrec(e)
	if prec < ctx {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch e := e.(type) {
	case *numberLit:
		b.WriteString(formatNumber(e.value))
	case *stringLit:
		b.WriteByte('"')
		b.WriteString(e.value)
		b.WriteByte('"')
	case *ident:
		b.WriteString(e.name)
	case *vectorLit:
		b.WriteByte('[')
		writeList(b, e.elems)
		b.WriteByte(']')
	case *callExpr:
		b.WriteString(e.name)
		b.WriteByte('(')
		writeList(b, e.args)
		b.WriteByte(')')
	case *memberExpr:
		writeExpr(b, e.x, postfixPrec)
		b.WriteByte('.')
		b.WriteString(e.name)
	case *methodExpr:
		writeExpr(b, e.recv, postfixPrec)
		b.WriteByte('.')
		b.WriteString(e.name)
		b.WriteByte('(')
		writeList(b, e.args)
		b.WriteByte(')')
	case *unaryExpr:
		b.WriteString(e.op.String())
		if u, ok := e.x.(*unaryExpr); ok && u.op == tokSub && e.op == tokSub {
			b.WriteByte(' ') // "- -x", not "--x"
		}
		writeExpr(b, e.x, unaryPrec)
	case *binaryExpr:
		writeExpr(b, e.x, prec)
		b.WriteByte(' ')
		b.WriteString(e.op.String())
		b.WriteByte(' ')
		writeExpr(b, e.y, prec+1)
	case *condExpr:
		writeExpr(b, e.cond, 1)
		b.WriteString(" ? ")
		writeExpr(b, e.then, 0)
		b.WriteString(" : ")
		writeExpr(b, e.els, 0)
	}
}

func writeList(b *strings.Builder, es []expr) {
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, e, 0)
	}
}

// exprPrec returns the precedence level of e's outermost operator.
func exprPrec(e expr) int {
	switch e := e.(type) {
	case *binaryExpr:
		return binaryPrec[e.op]
	case *condExpr:
		return 0
	case *unaryExpr:
		return unaryPrec
	}
	return postfixPrec
}
