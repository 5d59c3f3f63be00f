package autoscale

import "strings"

// lexer turns formula source into tokens. It is a state machine in the
// text/template style: each stateFn scans one kind of token and returns the
// next state. It runs to completion (no goroutine) and collects tokens and
// errors in slices.
type lexer struct {
	src    *source
	input  string
	start  int // start of the current token
	pos    int // current position
	tokens []token
	errs   ErrorList
}

// stateFn is one state of the lexer; it returns the next state, nil to stop.
type stateFn func(*lexer) stateFn

// lex scans src.text completely.
func lex(src *source) ([]token, ErrorList) {
	l := &lexer{src: src, input: src.text}
	for state := lexAny; state != nil; {
		state = state(l)
	}
	return l.tokens, l.errs
}

// eof is returned by next and peek at the end of input.
const eof = -1

// next consumes and returns the next byte, or eof.
func (l *lexer) next() int {
	if l.pos >= len(l.input) {
		l.pos = len(l.input) + 1 // so that backup is symmetric at the end
		return eof
	}
	c := l.input[l.pos]
	l.pos++
	return int(c)
}

// peek returns the next byte without consuming it.
func (l *lexer) peek() int {
	if l.pos >= len(l.input) {
		return eof
	}
	return int(l.input[l.pos])
}

// backup steps back one byte; it may be called once per call of next.
func (l *lexer) backup() { l.pos-- }

// emit records the text from start to pos as a token of kind k.
func (l *lexer) emit(k tokenKind) {
	l.tokens = append(l.tokens, token{kind: k, text: l.input[l.start:l.pos], off: l.start})
	l.start = l.pos
}

// ignore skips the text from start to pos.
func (l *lexer) ignore() { l.start = l.pos }

// accept consumes the next byte if it is in valid.
func (l *lexer) accept(valid string) bool {
	if c := l.peek(); c != eof && strings.IndexByte(valid, byte(c)) >= 0 {
		l.pos++
		return true
	}
	return false
}

// acceptRun consumes a run of bytes from valid.
func (l *lexer) acceptRun(valid string) {
	for l.accept(valid) {
	}
}

// errorf records an error at byte offset off and skips the current token.
func (l *lexer) errorf(off int, format string, args ...any) stateFn {
	l.errs = append(l.errs, l.src.errorAt(off, format, args...))
	l.ignore()
	return lexAny
}

const (
	digits      = "0123456789"
	letters     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
	identChars  = letters + digits
	maxLexError = 10 // stop lexing after this many errors
)

// lexAny scans whitespace, comments and dispatches on the next token's first
// byte.
func lexAny(l *lexer) stateFn {
	if len(l.errs) >= maxLexError {
		return nil
	}
	for {
		switch c := l.peek(); {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '/' && l.pos+1 < len(l.input) && l.input[l.pos+1] == '/':
			return lexComment
		default:
			l.ignore()
			return lexToken
		}
	}
}

// lexComment skips a // comment up to (not including) the newline.
func lexComment(l *lexer) stateFn {
	i := strings.IndexByte(l.input[l.pos:], '\n')
	if i < 0 {
		l.pos = len(l.input)
	} else {
		l.pos += i
	}
	l.ignore()
	return lexAny
}

// twoByteOps and oneByteOps map operator text to token kinds; two-byte
// operators are tried first (longest match).
var (
	twoByteOps = map[string]tokenKind{
		"<=": tokLE, ">=": tokGE, "==": tokEq, "!=": tokNE, "&&": tokAnd, "||": tokOr,
	}
	oneByteOps = map[byte]tokenKind{
		'=': tokAssign, ';': tokSemi, ',': tokComma, '.': tokDot, '(': tokLParen,
		')': tokRParen, '[': tokLBrack, ']': tokRBrack, '?': tokQuest, ':': tokColon,
		'+': tokAdd, '-': tokSub, '*': tokMul, '/': tokDiv, '!': tokNot, '<': tokLT,
		'>': tokGT,
	}
)

// lexToken scans one token starting at l.pos.
func lexToken(l *lexer) stateFn {
	c := l.peek()
	switch {
	case c == eof:
		l.emit(tokEOF)
		return nil
	case c == '$' || strings.IndexByte(letters, byte(c)) >= 0:
		return lexIdent
	case strings.IndexByte(digits, byte(c)) >= 0:
		return lexNumber
	case c == '.' && l.pos+1 < len(l.input) && strings.IndexByte(digits, l.input[l.pos+1]) >= 0:
		return lexNumber
	case c == '"':
		return lexString
	}
	if l.pos+2 <= len(l.input) {
		if k, ok := twoByteOps[l.input[l.pos:l.pos+2]]; ok {
			l.pos += 2
			l.emit(k)
			return lexAny
		}
	}
	if k, ok := oneByteOps[byte(c)]; ok {
		l.pos++
		l.emit(k)
		return lexAny
	}
	l.pos++
	switch c {
	case '&':
		return l.errorf(l.start, "unexpected %q (the logical and operator is &&)", "&")
	case '|':
		return l.errorf(l.start, "unexpected %q (the logical or operator is ||)", "|")
	case '%':
		return l.errorf(l.start, "unexpected %q: the formula language has no %% operator", "%")
	case '\'':
		// Skip a single-quoted string so it is reported once.
		if i := strings.IndexAny(l.input[l.pos:], "'\n"); i >= 0 && l.input[l.pos+i] == '\'' {
			l.pos += i + 1
		}
		return l.errorf(l.start, "unexpected %q: strings are written in double quotes", "'")
	}
	if c >= 0x80 {
		// Skip the rest of a multi-byte character so it is reported once.
		for l.pos < len(l.input) && l.input[l.pos]&0xC0 == 0x80 {
			l.pos++
		}
		return l.errorf(l.start, "unexpected character %q", l.input[l.start:l.pos])
	}
	return l.errorf(l.start, "unexpected character %q", rune(c))
}

// lexIdent scans a name, optionally prefixed by $.
func lexIdent(l *lexer) stateFn {
	if l.accept("$") && !l.accept(letters) {
		return l.errorf(l.start, "expected a variable name after $")
	}
	l.acceptRun(identChars)
	l.emit(tokIdent)
	return lexAny
}

// lexNumber scans digits [ "." digits ] [ exponent ], or "." digits.
func lexNumber(l *lexer) stateFn {
	l.acceptRun(digits)
	if l.peek() == '.' && l.pos+1 < len(l.input) && strings.IndexByte(digits, l.input[l.pos+1]) >= 0 {
		l.pos++
		l.acceptRun(digits)
	}
	if l.accept("eE") {
		l.accept("+-")
		if !l.accept(digits) {
			return l.errorf(l.start, "malformed number %q: exponent has no digits", l.input[l.start:l.pos])
		}
		l.acceptRun(digits)
	}
	if c := l.peek(); c != eof && strings.IndexByte(letters, byte(c)) >= 0 {
		l.acceptRun(identChars)
		return l.errorf(l.start, "malformed number %q", l.input[l.start:l.pos])
	}
	l.emit(tokNumber)
	return lexAny
}

// lexString scans a double-quoted string. There are no escapes; a string
// ends at the next double quote and may not span lines.
func lexString(l *lexer) stateFn {
	l.pos++ // opening quote
	for {
		switch l.next() {
		case '"':
			l.emit(tokString)
			return lexAny
		case '\n', eof:
			l.backup()
			return l.errorf(l.start, "unterminated string literal")
		}
	}
}
