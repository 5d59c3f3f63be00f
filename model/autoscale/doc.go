// Package autoscale implements the Azure Batch autoscale formula language:
// a lexer, a parser to a syntax tree, a type checker and an evaluator.
//
// Parse (or ParseAt, for a formula embedded in another file) returns a
// checked *Formula or an ErrorList of positioned *Error values, printed as
// "name:line:col: msg". (*Formula).Eval runs the formula against an Env,
// which supplies the evaluation time, the sample History of each metric
// visible at that time, plain values such as $TaskSlotsPerNode and random
// numbers; it returns the new targets or a positioned *Error, in which case
// the pool keeps its targets as Azure does. ConstEnv builds an Env of
// constant values for the command line and tests.
//
// The package depends on no other spotsim package. docs/autoscale.md
// describes the language for users, with every choice made where Azure's
// documentation is silent.
//
// # Grammar
//
// In EBNF (Go specification style). Whitespace and "//" comments, which run
// to the end of the line, separate tokens.
//
//	Formula    = [ Statement ] { ";" [ Statement ] } .
//	Statement  = Assignment | Expression .
//	Assignment = Name "=" Expression .
//	Expression = OrExpr [ "?" Expression ":" Expression ] .
//	OrExpr     = AndExpr { "||" AndExpr } .
//	AndExpr    = EqExpr { "&&" EqExpr } .
//	EqExpr     = RelExpr { ( "==" | "!=" ) RelExpr } .
//	RelExpr    = AddExpr { ( "<" | "<=" | ">" | ">=" ) AddExpr } .
//	AddExpr    = MulExpr { ( "+" | "-" ) MulExpr } .
//	MulExpr    = Unary { ( "*" | "/" ) Unary } .
//	Unary      = ( "-" | "!" ) Unary | Postfix .
//	Postfix    = Primary { "." ident [ Arguments ] } .
//	Primary    = number | string | Name | Call | Vector | "(" Expression ")" .
//	Call       = ident Arguments .
//	Arguments  = "(" [ ExprList ] ")" .
//	Vector     = "[" [ ExprList ] "]" .
//	ExprList   = Expression { "," Expression } .
//	Name       = [ "$" ] ident .
//
//	ident      = letter { letter | digit } .
//	letter     = "A" … "Z" | "a" … "z" | "_" .
//	digit      = "0" … "9" .
//	number     = ( digits [ "." digits ] | "." digits ) [ ( "e" | "E" ) [ "+" | "-" ] digits ] .
//	digits     = digit { digit } .
//	string     = `"` { any character except `"` and newline } `"` .
//
// Binary operators are left-associative; "?:" is right-associative. A
// Postfix selector without arguments is a timestamp member (t.hour); with
// arguments it is a method of a sampled variable ($PendingTasks.GetSample(1)).
// A Name is a user variable, a service variable ($TargetDedicatedNodes), a
// TimeInterval_* constant or one of the words requeue, terminate,
// taskcompletion and retaineddata.
//
// # Limits
//
// A formula may have at most MaxSource bytes and MaxStatements statements,
// and expressions may nest at most MaxDepth levels; beyond them Parse
// reports an error, so no input can exhaust the stack.
package autoscale
