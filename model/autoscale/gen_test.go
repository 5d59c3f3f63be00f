package autoscale

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gen writes random formulas from the language's vocabulary: mostly
// well-typed, often not. They complement the byte-level fuzzers, which
// rarely get past the lexer and checker on their own.
type gen struct {
	r     *rand.Rand
	b     strings.Builder
	depth int
}

var (
	genNames   = []string{"a", "b", "$x", "v", "t", "$TargetDedicatedNodes", "$TargetLowPriority", "$CurrentDedicatedNodes", "$TaskSlotsPerNode", "$NodeDeallocationOption", "TimeInterval_Minute", "TimeInterval_Second", "requeue", "taskcompletion"}
	genMetrics = []string{"$PendingTasks", "$CPUPercent", "$ActiveTasks", "$PreemptedNodeCount", "$CurrentLowPriorityNodes"}
	genFuncs   = []string{"avg", "len", "lg", "ln", "log", "max", "min", "norm", "percentile", "rand", "range", "std", "sum", "time", "val", "ceil", "floor", "round", "stop"}
	genMethods = []string{"GetSample", "GetSamplePercent", "GetSamplePeriod", "Count", "HistoryBeginTime"}
	genOps     = []string{"+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "&&", "||"}
	genMembers = []string{"year", "month", "day", "weekday", "hour", "minute", "second"}
	genAssign  = []string{"a", "b", "$x", "v", "t", "$TargetDedicatedNodes", "$TargetLowPriorityNodes", "$TargetDedicated", "$NodeDeallocationOption"}
)

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) formula() string {
	g.b.Reset()
	g.b.WriteString("a = 1; b = 2; $x = 3; v = [1, 2, 3]; t = time();\n")
	for range 1 + g.r.IntN(5) {
		g.b.WriteString(g.pick(genAssign))
		g.b.WriteString(" = ")
		g.depth = 0
		g.expr()
		g.b.WriteString(";\n")
	}
	return g.b.String()
}

func (g *gen) expr() {
	g.depth++
	defer func() { g.depth-- }()
	leaf := g.depth > 4
	switch n := g.r.IntN(10); {
	case leaf || n < 3:
		g.leaf()
	case n < 5:
		g.expr()
		g.b.WriteString(" " + g.pick(genOps) + " ")
		g.expr()
	case n == 5:
		prefix := g.pick([]string{"-", "!", "(", "-("})
		g.b.WriteString(prefix)
		g.expr()
		if strings.HasSuffix(prefix, "(") {
			g.b.WriteString(")")
		}
	case n == 6:
		g.expr()
		g.b.WriteString(" ? ")
		g.expr()
		g.b.WriteString(" : ")
		g.expr()
	case n == 7:
		g.b.WriteString(g.pick(genFuncs) + "(")
		g.args()
		g.b.WriteString(")")
	case n == 8:
		g.b.WriteString(g.pick(genMetrics) + "." + g.pick(genMethods) + "(")
		g.args()
		g.b.WriteString(")")
	default:
		g.b.WriteString("(")
		g.expr()
		g.b.WriteString(")." + g.pick(genMembers))
	}
}

func (g *gen) args() {
	for i := range g.r.IntN(4) {
		if i > 0 {
			g.b.WriteString(", ")
		}
		g.expr()
	}
}

func (g *gen) leaf() {
	switch g.r.IntN(6) {
	case 0:
		g.b.WriteString(strconv.Itoa(g.r.IntN(200)))
	case 1:
		g.b.WriteString(g.pick([]string{"0.5", "1e3", "70", "100", "0", "-1", "180 * TimeInterval_Second"}))
	case 2:
		g.b.WriteString(g.pick([]string{`"2016-10-13T19:18:47Z"`, `""`, `"x"`}))
	case 3:
		g.b.WriteString("[" + strconv.Itoa(g.r.IntN(9)) + ", " + strconv.Itoa(g.r.IntN(9)) + "]")
	default:
		g.b.WriteString(g.pick(genNames))
	}
}

// TestGeneratedFormulas parses, round-trips and evaluates random formulas:
// nothing may panic, every formula that parses must survive its canonical
// form, and errors must be positioned.
func TestGeneratedFormulas(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(1, 1))}
	parsed, evaluated := 0, 0
	for range 5000 {
		src := g.formula()
		f, err := Parse("gen", src)
		if err != nil {
			checkErrorList(t, src, err)
			continue
		}
		parsed++
		checkRoundTrip(t, f)
		for _, env := range []Env{
			newFuzzEnv(4, 100, time.Minute),
			ConstEnv(time.Date(2016, 10, 13, 19, 18, 47, 0, time.UTC), map[string]float64{"$PendingTasks": 7}),
		} {
			if _, err := f.Eval(env); err == nil {
				evaluated++
			} else if _, ok := err.(*Error); !ok {
				t.Fatalf("Eval(%q): error %T %v, want *Error", src, err, err)
			}
		}
	}
	t.Logf("%d formulas parsed, %d evaluations succeeded", parsed, evaluated)
	if parsed < 200 || evaluated < 200 {
		t.Errorf("generator too weak: %d formulas parsed, %d evaluations succeeded", parsed, evaluated)
	}
}

// TestFastPathIsGeneral: on random formulas, an evaluation through the
// fast path of doubles (compileNum), with constant operations folded
// (fold) and methods given their constant arguments' values (constArgs)
// gives exactly what the general evaluator alone gives, precomputing
// nothing: the same targets, assigned values (NaNs and signed zeros
// included, as rendered), stop and error.
func TestFastPathIsGeneral(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(2, 2))}
	compared, fast, folds := 0, 0, 0
	fixed := []string{ // constant operations of every type, failing ones too
		`$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 15 + TimeInterval_Second * 30, 10 * 5))`,
		`a = $PendingTasks.GetSamplePercent(TimeInterval_Hour / 2, TimeInterval_Minute * 0); $TargetDedicatedNodes = a > 2 * 25 ? 1 : 0`,
		`a = TimeInterval_Day * 1e300; $TargetDedicatedNodes = 1`,
		`a = TimeInterval_Minute / 0; $TargetDedicatedNodes = 1`,
		`a = "x" == "x"; b = 1 / 0 - 2; c = -(3 * 4) + (1 < 2); $TargetDedicatedNodes = a + c`,
		`a = time("2016-10-13T19:18:47Z") + TimeInterval_Hour * 2; $TargetDedicatedNodes = a.hour`,
	}
	for i := range 5000 + len(fixed) {
		src := g.formula()
		if i < len(fixed) {
			src = fixed[i]
		}
		f, err := Parse("gen", src)
		if err != nil {
			continue
		}
		envs := []func() Env{
			func() Env { return newFuzzEnv(4, 100, time.Minute) },
			func() Env {
				return ConstEnv(time.Date(2016, 10, 13, 19, 18, 47, 0, time.UTC), map[string]float64{"$PendingTasks": 7, "$TargetDedicated": 2})
			},
		}
		eval := func(env Env) string {
			res, err := f.Eval(env)
			if err != nil {
				return "error " + err.Error()
			}
			return fmt.Sprintf("%s stopped=%v", res, res.Stopped)
		}
		var bins []*binaryExpr
		var meths []*methodExpr
		for _, s := range f.stmts {
			if a, ok := s.(*assignStmt); ok {
				bins, meths = binaries(a.value, bins, meths)
			}
		}
		for _, env := range envs {
			got := eval(env())
			var saved []numFn
			for _, s := range f.stmts {
				if a, ok := s.(*assignStmt); ok {
					saved = append(saved, a.num)
					if a.num != nil {
						fast++
					}
					a.num = nil
				}
			}
			folded := make([]*value, len(bins))
			for i, b := range bins {
				folded[i], b.folded = b.folded, nil
				if folded[i] != nil {
					folds++
				}
			}
			consts := make([][]value, len(meths))
			for i, m := range meths {
				consts[i], m.consts = m.consts, nil
			}
			want := eval(env())
			for i, m := range meths {
				m.consts = consts[i]
			}
			for _, s := range f.stmts {
				if a, ok := s.(*assignStmt); ok {
					a.num, saved = saved[0], saved[1:]
				}
			}
			for i, b := range bins {
				b.folded = folded[i]
			}
			if got != want {
				t.Fatalf("%s\nfast path: %s\ngeneral:   %s", src, got, want)
			}
			compared++
		}
	}
	t.Logf("%d evaluations compared, %d assignments on the fast path, %d operations folded", compared, fast, folds)
	if fast < 1000 || folds < 40 {
		t.Errorf("generator too weak: %d assignments on the fast path, %d operations folded", fast, folds)
	}
}

// binaries appends the binary operations and the method calls of e to
// bins and meths.
func binaries(e expr, bins []*binaryExpr, meths []*methodExpr) ([]*binaryExpr, []*methodExpr) {
	var subs []expr
	switch e := e.(type) {
	case *binaryExpr:
		subs = []expr{e.x, e.y}
		bins = append(bins, e)
	case *unaryExpr:
		subs = []expr{e.x}
	case *condExpr:
		subs = []expr{e.cond, e.then, e.els}
	case *vectorLit:
		subs = e.elems
	case *callExpr:
		subs = e.args
	case *methodExpr:
		subs = e.args
		meths = append(meths, e)
	case *memberExpr:
		subs = []expr{e.x}
	}
	for _, x := range subs {
		bins, meths = binaries(x, bins, meths)
	}
	return bins, meths
}
