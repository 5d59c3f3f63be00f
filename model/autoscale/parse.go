package autoscale

import (
	"errors"
	"strconv"
)

// Limits of the formula language. MaxSource and MaxStatements are Azure's
// documented limits; MaxDepth is spotsim's cap on nesting (parentheses,
// calls, unary operators, conditional branches), which keeps every pass over
// the tree shallow.
const (
	MaxSource     = 8192 // bytes of formula text ("8 KB")
	MaxStatements = 100  // statements per formula
	MaxDepth      = 64   // nesting levels of an expression
	maxErrors     = 10   // a parse stops collecting errors after this many
)

// Formula is a parsed and type-checked autoscale formula. It is immutable
// and safe for concurrent evaluation.
type Formula struct {
	src   *source
	stmts []stmt
	// names are the variables the formula assigns, by slot (resolve);
	// targets the slots that hold each of the three outputs.
	names   []string
	targets [3][]int
}

// Parse parses and type-checks the formula src. name (a file name, or any
// label) prefixes error messages. Errors are returned as an ErrorList of
// *Error, sorted by position.
func Parse(name, src string) (*Formula, error) {
	return ParseAt(name, src, 1, 1)
}

// ParseAt is Parse for a formula embedded in another file, such as a TOML
// string: line and col are the 1-based position of the formula's first
// character in that file. Error positions are shifted by line-1 lines and,
// on the formula's first line only, by col-1 columns.
func ParseAt(name, src string, line, col int) (*Formula, error) {
	return parse(&source{name: name, text: src, line: max(line, 1), col: max(col, 1)}, MaxSource)
}

// parse parses and checks src; maxSource (≤ 0: none) bounds its size. The
// round-trip tests re-parse canonical forms without the size limit, since
// printing may add spaces.
func parse(src *source, maxSource int) (*Formula, error) {
	if maxSource > 0 && len(src.text) > maxSource {
		var errs ErrorList
		errs = append(errs, src.errorAt(0, "formula is %d bytes, more than the limit of %d bytes (8 KB)", len(src.text), maxSource))
		return nil, errs
	}
	toks, errs := lex(src)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	p := &parser{src: src, toks: toks}
	p.parseFormula()
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	f := &Formula{src: src, stmts: p.stmts}
	if errs := check(f); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	resolve(f)
	return f, nil
}

// parser is a recursive-descent parser with precedence climbing for binary
// operators.
type parser struct {
	src   *source
	toks  []token
	i     int // index of the current token
	depth int
	stmts []stmt
	errs  ErrorList
}

// errBail unwinds a statement after a syntax error; the parser recovers at
// the next ";".
var errBail = errors.New("bail")

func (p *parser) tok() token          { return p.toks[p.i] }
func (p *parser) peekKind() tokenKind { return p.toks[min(p.i+1, len(p.toks)-1)].kind }
func (p *parser) advance() token      { t := p.toks[p.i]; p.i = min(p.i+1, len(p.toks)-1); return t }
func (p *parser) at(k tokenKind) bool { return p.toks[p.i].kind == k }
func (p *parser) fail(off int, format string, args ...any) {
	p.errs = append(p.errs, p.src.errorAt(off, format, args...))
	panic(errBail)
}

// expect consumes a token of kind k or fails with "expected k context".
func (p *parser) expect(k tokenKind, context string) token {
	t := p.tok()
	if t.kind != k {
		p.fail(t.off, "expected %q %s, found %s", k.String(), context, t.describe())
	}
	return p.advance()
}

// parseFormula parses statements separated by ";" until the end.
func (p *parser) parseFormula() {
	for !p.at(tokEOF) && len(p.errs) < maxErrors {
		if p.at(tokSemi) { // empty statement
			p.advance()
			continue
		}
		p.parseStatementRecover()
	}
}

// parseStatementRecover parses one statement and its terminator; after a
// syntax error it skips to the token after the next ";".
func (p *parser) parseStatementRecover() {
	defer func() {
		if r := recover(); r != nil {
			if r != errBail {
				panic(r)
			}
			for !p.at(tokEOF) && !p.at(tokSemi) {
				p.advance()
			}
			p.advance()
		}
	}()
	off := p.tok().off
	s := p.parseStatement()
	if len(p.stmts) == MaxStatements {
		p.fail(off, "too many statements: a formula may have at most %d", MaxStatements)
	}
	p.stmts = append(p.stmts, s)
	if !p.at(tokEOF) {
		t := p.tok()
		if t.kind != tokSemi {
			p.fail(t.off, "expected \";\" after statement, found %s", t.describe())
		}
		p.advance()
	}
}

// parseStatement parses "name = expr" or an expression statement.
func (p *parser) parseStatement() stmt {
	p.depth = 0
	if t := p.tok(); t.kind == tokIdent && p.peekKind() == tokAssign {
		p.advance()
		p.advance()
		return &assignStmt{off: t.off, name: t.text, value: p.parseExpr()}
	}
	x := p.parseExpr()
	if t := p.tok(); t.kind == tokAssign {
		p.fail(t.off, "cannot assign to an expression: the left of = must be a variable name")
	}
	return &exprStmt{x: x}
}

// enter and leave track nesting depth.
func (p *parser) enter() {
	p.depth++
	if p.depth > MaxDepth {
		p.fail(p.tok().off, "expression nested too deeply (more than %d levels)", MaxDepth)
	}
}
func (p *parser) leave() { p.depth-- }

// parseExpr parses a full expression: a binary expression, optionally the
// condition of a right-associative "? :".
func (p *parser) parseExpr() expr {
	p.enter()
	defer p.leave()
	x := p.parseBinary(1)
	if !p.at(tokQuest) {
		return x
	}
	q := p.advance()
	then := p.parseExpr()
	p.expect(tokColon, "in conditional expression")
	els := p.parseExpr()
	return &condExpr{off: q.off, cond: x, then: then, els: els}
}

// parseBinary parses operands joined by binary operators of precedence at
// least minPrec (precedence climbing).
func (p *parser) parseBinary(minPrec int) expr {
	x := p.parseUnary()
	for {
		t := p.tok()
		prec, ok := binaryPrec[t.kind]
		if !ok || prec < minPrec {
			return x
		}
		p.advance()
		y := p.parseBinary(prec + 1)
		x = &binaryExpr{off: t.off, op: t.kind, x: x, y: y}
	}
}

// parseUnary parses prefix operators and a postfix expression.
func (p *parser) parseUnary() expr {
	if t := p.tok(); t.kind == tokSub || t.kind == tokNot {
		p.enter()
		defer p.leave()
		p.advance()
		return &unaryExpr{off: t.off, op: t.kind, x: p.parseUnary()}
	}
	return p.parsePostfix()
}

// parsePostfix parses a primary expression followed by ".member" and
// ".method(args)" selectors.
func (p *parser) parsePostfix() expr {
	x := p.parsePrimary()
	for p.at(tokDot) {
		p.advance()
		name := p.tok()
		if name.kind != tokIdent || name.text[0] == '$' {
			p.fail(name.off, "expected a member or method name after \".\", found %s", name.describe())
		}
		p.advance()
		if p.at(tokLParen) {
			args := p.parseArgs(tokLParen, tokRParen, "method arguments")
			x = &methodExpr{recv: x, off: name.off, name: name.text, args: args}
		} else {
			x = &memberExpr{x: x, off: name.off, name: name.text}
		}
	}
	return x
}

// parsePrimary parses a literal, name, call, vector or parenthesized
// expression.
func (p *parser) parsePrimary() expr {
	t := p.tok()
	switch t.kind {
	case tokNumber:
		p.advance()
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			p.fail(t.off, "number %s is out of range", t.text)
		}
		return &numberLit{off: t.off, value: v}
	case tokString:
		p.advance()
		return &stringLit{off: t.off, value: t.text[1 : len(t.text)-1]}
	case tokIdent:
		p.advance()
		if p.at(tokLParen) {
			if t.text[0] == '$' {
				p.fail(p.tok().off, "%s is a variable, not a function", t.text)
			}
			args := p.parseArgs(tokLParen, tokRParen, "function arguments")
			return &callExpr{off: t.off, name: t.text, args: args}
		}
		return &ident{off: t.off, name: t.text}
	case tokLBrack:
		elems := p.parseArgs(tokLBrack, tokRBrack, "vector elements")
		return &vectorLit{off: t.off, elems: elems}
	case tokLParen:
		p.advance()
		p.enter()
		x := p.parseExpr()
		p.leave()
		p.expect(tokRParen, "to close \"(\"")
		return x
	}
	p.fail(t.off, "expected an expression, found %s", t.describe())
	return nil
}

// parseArgs parses open [ expr { "," expr } ] close.
func (p *parser) parseArgs(open, close tokenKind, what string) []expr {
	p.expect(open, "")
	p.enter()
	defer p.leave()
	var args []expr
	if p.at(close) {
		p.advance()
		return args
	}
	for {
		args = append(args, p.parseExpr())
		if p.at(close) {
			p.advance()
			return args
		}
		t := p.tok()
		if t.kind != tokComma {
			p.fail(t.off, "expected \",\" or %q in %s, found %s", close.String(), what, t.describe())
		}
		p.advance()
	}
}
