package autoscale

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// equalFormulas reports whether a and b have the same statements, ignoring
// positions and checker annotations.
func equalFormulas(a, b *Formula) bool {
	if len(a.stmts) != len(b.stmts) {
		return false
	}
	for i := range a.stmts {
		if !equalStmt(a.stmts[i], b.stmts[i]) {
			return false
		}
	}
	return true
}

func equalStmt(a, b stmt) bool {
	switch a := a.(type) {
	case *assignStmt:
		b, ok := b.(*assignStmt)
		return ok && a.name == b.name && equalExpr(a.value, b.value)
	case *exprStmt:
		b, ok := b.(*exprStmt)
		return ok && equalExpr(a.x, b.x)
	}
	return false
}

func equalExprs(a, b []expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalExpr(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalExpr(a, b expr) bool {
	switch a := a.(type) {
	case *numberLit:
		b, ok := b.(*numberLit)
		return ok && a.value == b.value
	case *stringLit:
		b, ok := b.(*stringLit)
		return ok && a.value == b.value
	case *vectorLit:
		b, ok := b.(*vectorLit)
		return ok && equalExprs(a.elems, b.elems)
	case *ident:
		b, ok := b.(*ident)
		return ok && a.name == b.name
	case *unaryExpr:
		b, ok := b.(*unaryExpr)
		return ok && a.op == b.op && equalExpr(a.x, b.x)
	case *binaryExpr:
		b, ok := b.(*binaryExpr)
		return ok && a.op == b.op && equalExpr(a.x, b.x) && equalExpr(a.y, b.y)
	case *condExpr:
		b, ok := b.(*condExpr)
		return ok && equalExpr(a.cond, b.cond) && equalExpr(a.then, b.then) && equalExpr(a.els, b.els)
	case *callExpr:
		b, ok := b.(*callExpr)
		return ok && a.name == b.name && equalExprs(a.args, b.args)
	case *memberExpr:
		b, ok := b.(*memberExpr)
		return ok && a.name == b.name && equalExpr(a.x, b.x)
	case *methodExpr:
		b, ok := b.(*methodExpr)
		return ok && a.name == b.name && equalExpr(a.recv, b.recv) && equalExprs(a.args, b.args)
	}
	return false
}

// checkRoundTrip verifies that f's canonical form parses to a formula equal
// to f, and that printing is idempotent. The canonical form may exceed the
// 8 KB source limit (printing adds spaces), so it is re-parsed without it.
func checkRoundTrip(t *testing.T, f *Formula) {
	t.Helper()
	s := f.String()
	g, err := parse(&source{name: "canonical", text: s, line: 1, col: 1}, 0)
	if err != nil {
		t.Fatalf("canonical form does not parse: %v\nsource:\n%s\ncanonical:\n%s", err, f.src.text, s)
	}
	if !equalFormulas(f, g) {
		t.Fatalf("canonical form parses to a different formula\nsource:\n%s\ncanonical:\n%s\nreprinted:\n%s", f.src.text, s, g.String())
	}
	if g.String() != s {
		t.Fatalf("printing is not idempotent:\n%s\nthen\n%s", s, g.String())
	}
}

// corpus returns the formulas of the FuzzParse seed corpus, which holds
// every formula of the tests (Azure's examples among them).
func corpus(t testing.TB) map[string]string {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParse", "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(data), "\n", 3)
		if len(lines) < 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "string(") {
			t.Fatalf("%s: not a one-string fuzz corpus file", file)
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out[filepath.Base(file)] = s
	}
	return out
}

// TestRoundTrip checks Parse(f.String()) == f for every test formula that
// parses.
func TestRoundTrip(t *testing.T) {
	n := 0
	for name, src := range corpus(t) {
		f, err := Parse(name, src)
		if err != nil {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) { checkRoundTrip(t, f) })
	}
	if n < 20 {
		t.Errorf("only %d corpus formulas parse; the corpus is missing", n)
	}
}

// TestCanonicalForm pins the printer's output for tricky cases.
func TestCanonicalForm(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a=1;b=2", "a = 1;\nb = 2;\n"},
		{";;a = 1;;", "a = 1;\n"},
		{"a = ((1 + 2)) * 3", "a = (1 + 2) * 3;\n"},
		{"a = 1 - (2 - 3) - 4", "a = 1 - (2 - 3) - 4;\n"},
		{"a = (1 - 2) - 3", "a = 1 - 2 - 3;\n"},
		{"a = - - 1; b = -(-1); c = !-1; d = -(1 + 2)", "a = - -1;\nb = - -1;\nc = !-1;\nd = -(1 + 2);\n"},
		{"a = (1 ? 2 : 3) ? 4 : 5", "a = (1 ? 2 : 3) ? 4 : 5;\n"},
		{"a = 1 ? (2 ? 3 : 4) : (5 ? 6 : 7)", "a = 1 ? 2 ? 3 : 4 : 5 ? 6 : 7;\n"},
		{"a = (1 ? 2 : 3) + 1", "a = (1 ? 2 : 3) + 1;\n"},
		{"a = (time() + TimeInterval_Hour).hour", "a = (time() + TimeInterval_Hour).hour;\n"},
		{"a = -(time()).hour", "a = -time().hour;\n"},
		{"a = 1.50; b = 1e3; c = .25; d = 1e21; e = 0.0000001", "a = 1.5;\nb = 1000;\nc = 0.25;\nd = 1e+21;\ne = 1e-07;\n"},
		{"// comment\na = [ 1,2 ] // trailing\n", "a = [1, 2];\n"},
		{"$TargetDedicated=max($PendingTasks.GetSample( 1 ))", "$TargetDedicated = max($PendingTasks.GetSample(1));\n"},
		{"stop()", "stop();\n"},
		{`a = "x y"`, "a = \"x y\";\n"},
	}
	for _, tt := range tests {
		f, err := Parse("", tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := f.String(); got != tt.want {
			t.Errorf("Parse(%q).String() =\n%q\nwant\n%q", tt.src, got, tt.want)
		}
		checkRoundTrip(t, f)
	}
}
