package autoscale

import "fmt"

// tokenKind identifies the kind of a lexical token.
type tokenKind uint8

// Token kinds. Operators are listed in the order of the lexer's longest-match
// table; their text is given by tokenKind.String.
const (
	tokEOF    tokenKind = iota // end of input
	tokIdent                   // name or $name
	tokNumber                  // 12, 0.5, 1e3
	tokString                  // "double quoted", no escapes
	tokAssign                  // =
	tokSemi                    // ;
	tokComma                   // ,
	tokDot                     // .
	tokLParen                  // (
	tokRParen                  // )
	tokLBrack                  // [
	tokRBrack                  // ]
	tokQuest                   // ?
	tokColon                   // :
	tokAdd                     // +
	tokSub                     // -
	tokMul                     // *
	tokDiv                     // /
	tokNot                     // !
	tokLT                      // <
	tokLE                      // <=
	tokGT                      // >
	tokGE                      // >=
	tokEq                      // ==
	tokNE                      // !=
	tokAnd                     // &&
	tokOr                      // ||
)

var kindText = [...]string{
	tokEOF:    "end of formula",
	tokIdent:  "identifier",
	tokNumber: "number",
	tokString: "string",
	tokAssign: "=",
	tokSemi:   ";",
	tokComma:  ",",
	tokDot:    ".",
	tokLParen: "(",
	tokRParen: ")",
	tokLBrack: "[",
	tokRBrack: "]",
	tokQuest:  "?",
	tokColon:  ":",
	tokAdd:    "+",
	tokSub:    "-",
	tokMul:    "*",
	tokDiv:    "/",
	tokNot:    "!",
	tokLT:     "<",
	tokLE:     "<=",
	tokGT:     ">",
	tokGE:     ">=",
	tokEq:     "==",
	tokNE:     "!=",
	tokAnd:    "&&",
	tokOr:     "||",
}

// String returns the operator text of k, or a description for literal kinds.
func (k tokenKind) String() string {
	if int(k) < len(kindText) {
		return kindText[k]
	}
	return fmt.Sprintf("tokenKind(%d)", int(k))
}

// token is one lexical token: its kind, its text and the byte offset of its
// first character in the formula source.
type token struct {
	kind tokenKind
	text string
	off  int
}

// describe renders t for an error message: `identifier "foo"`, `"+"`,
// `end of formula`.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of formula"
	case tokIdent, tokNumber:
		return fmt.Sprintf("%s %s", t.kind, t.text)
	case tokString:
		return "string " + t.text
	}
	return fmt.Sprintf("%q", t.kind.String())
}
