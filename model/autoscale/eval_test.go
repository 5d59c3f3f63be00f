package autoscale_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
)

// evalValue evaluates "r = <expr>" (after optional setup statements) and
// returns r's rendered value.
func evalValue(t *testing.T, env autoscale.Env, setup, x string) string {
	t.Helper()
	f, err := autoscale.Parse("", setup+"r = "+x)
	if err != nil {
		t.Errorf("Parse(%q): %v", x, err)
		return ""
	}
	res, err := f.Eval(env)
	if err != nil {
		t.Errorf("Eval(%q): %v", x, err)
		return ""
	}
	for _, a := range res.Assigned {
		if a.Name == "r" {
			return a.Value
		}
	}
	t.Errorf("Eval(%q): r not assigned", x)
	return ""
}

// TestOperators covers every row of the documented operator table, with
// precedence and associativity.
func TestOperators(t *testing.T) {
	env := autoscale.ConstEnv(thursday, nil)
	for _, tt := range operatorTests {
		if got := evalValue(t, env, operatorSetup, tt.x); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.x, got, tt.want)
		}
	}
}

const operatorSetup = `v = [1, 2, 4]; w = [10, 20, 40]; t = time("2016-10-13T19:18:47Z"); u = time("2016-10-14T19:18:47Z"); h = TimeInterval_Hour; `

var operatorTests = []struct{ x, want string }{
	// double op double
	{"1 + 2", "3"}, {"1 - 2", "-1"}, {"3 * 4", "12"}, {"1 / 4", "0.25"},
	{"1 / 0", "Infinity"}, {"-1 / 0", "-Infinity"}, {"0 / 0", "NaN"},
	// double * timeinterval
	{"2 * h", "02:00:00"}, {"1.5 * TimeInterval_Minute", "00:01:30"},
	// doubleVec op double
	{"v + 1", "[2,3,5]"}, {"v - 1", "[0,1,3]"}, {"v * 2", "[2,4,8]"}, {"v / 2", "[0.5,1,2]"},
	// doubleVec op doubleVec
	{"v + w", "[11,22,44]"}, {"w - v", "[9,18,36]"}, {"v * w", "[10,40,160]"}, {"w / v", "[10,10,10]"},
	{"[] + []", "[]"},
	// timeinterval op double
	{"h * 3", "03:00:00"}, {"h / 4", "00:15:00"}, {"TimeInterval_Second / 3", "00:00:00.3333333"},
	// timeinterval op timeinterval
	{"h + TimeInterval_Minute", "01:01:00"}, {"h - TimeInterval_Day", "-23:00:00"},
	{"TimeInterval_Week + TimeInterval_Day", "8.00:00:00"},
	// timeinterval + timestamp, timestamp + timeinterval
	{"h + t", "2016-10-13T20:18:47.000Z"}, {"t + h", "2016-10-13T20:18:47.000Z"},
	{"t + (-6 * h)", "2016-10-13T13:18:47.000Z"},
	// timestamp - timestamp
	{"u - t", "1.00:00:00"}, {"t - u", "-1.00:00:00"},
	// unary on double and timeinterval
	{"-3", "-3"}, {"- -3", "3"}, {"!0", "1"}, {"!2", "0"}, {"!!5", "1"}, {"-h", "-01:00:00"},
	// comparisons on double, string, timestamp, timeinterval
	{"1 < 2", "1"}, {"2 < 1", "0"}, {"1 <= 1", "1"}, {"1 == 1", "1"}, {"1 != 1", "0"}, {"2 >= 3", "0"}, {"3 > 2", "1"},
	{"0/0 == 0/0", "0"}, {"0/0 != 0/0", "1"}, {"0/0 < 1", "0"},
	{`"abc" < "abd"`, "1"}, {`"b" > "abc"`, "1"}, {`"x" == "x"`, "1"}, {`"x" != "x"`, "0"},
	{`requeue == "requeue"`, "1"}, {"$NodeDeallocationOption == requeue", "1"},
	{"t < u", "1"}, {"t >= u", "0"}, {"t == t", "1"}, {"t != u", "1"},
	{"h > TimeInterval_Minute", "1"}, {"h == 60 * TimeInterval_Minute", "1"}, {"h <= TimeInterval_Zero", "0"},
	// logic on doubles
	{"1 && 2", "1"}, {"1 && 0", "0"}, {"0 || 0", "0"}, {"0 || 3", "1"}, {"0/0 && 1", "1"},
	// short circuit: the right operand is not evaluated
	{"0 && val([], 0)", "0"}, {"1 || val([], 0)", "1"},
	// ternary: nonzero is true, right-associative, lazy
	{"2 ? 10 : 20", "10"}, {"0 ? 10 : 20", "20"}, {"0 ? 1 : 0 ? 2 : 3", "3"}, {"1 ? 0 ? 5 : 6 : 7", "6"},
	{"1 ? 1 : val([], 0)", "1"}, {"1 ? v : w", "[1,2,4]"}, {"0 ? t : u", "2016-10-14T19:18:47.000Z"},
	// precedence
	{"1 + 2 * 3", "7"}, {"(1 + 2) * 3", "9"}, {"10 - 4 - 3", "3"}, {"10 - (4 - 3)", "9"},
	{"2 * 3 / 4", "1.5"}, {"-2 * 3", "-6"}, {"!0 + 1", "2"}, {"1 + 2 < 4", "1"}, {"1 < 2 == 1", "1"},
	{"1 == 1 && 0 == 1", "0"}, {"1 || 0 && 0", "1"}, {"0 && 1 || 1", "1"}, {"1 < 2 ? 3 + 4 : 5", "7"},
	{"-t.hour", "-19"}, {"(t + h).hour", "20"},
	// timestamp members (weekday 1 = Monday ... 7 = Sunday)
	{"t.year", "2016"}, {"t.month", "10"}, {"t.day", "13"}, {"t.weekday", "4"},
	{"t.hour", "19"}, {"t.minute", "18"}, {"t.second", "47"},
	{"(t + 3 * TimeInterval_Day).weekday", "7"}, {"(t + 4 * TimeInterval_Day).weekday", "1"},
	// vector literals flatten doubleVecs
	{"[1, v, 3]", "[1,1,2,4,3]"}, {"[]", "[]"},
	// keywords are strings
	{"taskcompletion", "taskcompletion"}, {`"free text"`, "free text"},
	// TimeInterval constants
	{"TimeInterval_Zero", "00:00:00"}, {"TimeInterval_100ns", "00:00:00.0000001"},
	{"TimeInterval_Microsecond", "00:00:00.0000010"}, {"TimeInterval_Millisecond", "00:00:00.0010000"},
	{"TimeInterval_Second", "00:00:01"}, {"TimeInterval_Minute", "00:01:00"}, {"TimeInterval_Hour", "01:00:00"},
	{"TimeInterval_Day", "1.00:00:00"}, {"TimeInterval_Week", "7.00:00:00"}, {"TimeInterval_Year", "365.00:00:00"},
	// numbers
	{"1e3", "1000"}, {".5", "0.5"}, {"2.5E-1", "0.25"}, {"1e21", "1e+21"}, {"1e-7", "1e-07"},
}

// TestFunctions covers every built-in on every form it accepts.
func TestFunctions(t *testing.T) {
	env := &testEnv{now: thursday, rand: 0.25}
	for _, tt := range functionTests {
		if got := evalValue(t, env, functionSetup, tt.x); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.x, got, tt.want)
		}
	}
}

const functionSetup = "v = [3, 1, 2]; "

var functionTests = []struct{ x, want string }{
	{"avg(v)", "2"}, {"avg(1, 2, 3, 7)", "3.25"}, {"avg(v, 7)", "3.25"}, {"avg(5)", "5"},
	{"len(v)", "3"}, {"len(v, 7, v)", "7"}, {"len()", "0"}, {"len([])", "0"},
	{"lg(8)", "3"}, {"lg([1, 4])", "[0,2]"}, {"lg(1, 2)", "[0,1]"}, {"lg(v, 4)", "[1.5849625007211563,0,1,2]"},
	{"ln(1)", "0"}, {"ln([1])", "[0]"}, {"ln(0)", "-Infinity"},
	{"log(1000)", "3"}, {"log([10, 100])", "[1,2]"},
	{"max(v)", "3"}, {"max(0, v)", "3"}, {"max(-1, [])", "-1"}, {"max(4, v, 7)", "7"},
	{"min(v)", "1"}, {"min(5, v)", "1"},
	{"norm([3, 4])", "5"}, {"norm(3, 4)", "5"}, {"norm()", "0"},
	{"percentile(v, 0)", "1"}, {"percentile(v, 33)", "1"}, {"percentile(v, 34)", "2"}, {"percentile(v, 50)", "2"},
	{"percentile(v, 100)", "3"}, {"percentile([5], 50)", "5"}, {"percentile([1, 2, 3, 4], 75)", "3"},
	{"rand()", "0.25"},
	{"range(v)", "2"}, {"range(v, 10)", "9"}, {"range(4)", "0"},
	{"std([2, 4, 4, 4, 5, 5, 7, 9])", "2.138089935299395"}, {"std(1, 3)", "1.4142135623730951"}, {"std(5)", "0"},
	{"sum(v)", "6"}, {"sum(v, 1)", "7"}, {"sum()", "0"},
	{"time()", "2016-10-13T19:18:47.805Z"}, {`time("")`, "2016-10-13T19:18:47.805Z"},
	{`time("2016-10-13T19:18:47Z")`, "2016-10-13T19:18:47.000Z"},
	{`time("2016-10-13T21:18:47.25+02:00")`, "2016-10-13T19:18:47.250Z"},
	{`time("2016-10-13T19:18Z")`, "2016-10-13T19:18:00.000Z"},
	{`time("2016-10-13")`, "2016-10-13T00:00:00.000Z"}, {`time("2016-10")`, "2016-10-01T00:00:00.000Z"},
	{`time("2016")`, "2016-01-01T00:00:00.000Z"}, {`time("2016-10-13T19:18:47")`, "2016-10-13T19:18:47.000Z"},
	{`time("Thu, 13 Oct 2016 19:18:47 GMT")`, "2016-10-13T19:18:47.000Z"},
	{`time("Thu, 13 Oct 2016 21:18:47 +0200")`, "2016-10-13T19:18:47.000Z"},
	{"val(v, 0)", "3"}, {"val(v, 2)", "2"}, {"val(v, 1.9)", "1"},
	{"ceil(1.2)", "2"}, {"ceil(-1.2)", "-1"}, {"ceil([1.2, 2])", "[2,2]"}, {"ceil(1.5, 2.5)", "[2,3]"},
	{"floor(1.8)", "1"}, {"floor(-1.2)", "-2"}, {"floor(v / 2)", "[1,0,1]"},
	{"round(2.5)", "3"}, {"round(-2.5)", "-3"}, {"round(2.4)", "2"}, {"round([0.5, 1.49])", "[1,1]"},
}

// TestMethods covers the sample methods on a hand-built history: samples
// 1..10 every 30 s, the newest (10) a minute before now.
func TestMethods(t *testing.T) {
	h := samples(thursday, time.Minute, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	env := &testEnv{now: thursday, hists: map[string]*autoscale.History{"$ActiveTasks": h, "$CurrentDedicatedNodes": h},
		vals: map[string]float64{"$CurrentDedicatedNodes": 4}}
	for _, tt := range methodTests {
		if got := evalValue(t, env, "", tt.x); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.x, got, tt.want)
		}
	}
}

const act = "$ActiveTasks."

var methodTests = []struct{ x, want string }{
	{act + "GetSample(1)", "[10]"},
	{act + "GetSample(3)", "[10,9,8]"},
	{act + "GetSample(2.9)", "[10,9]"},
	{act + "GetSample(0)", "[]"},
	{act + "GetSample(100)", "[10,9,8,7,6,5,4,3,2,1]"},
	// (now-3 min, now]: samples at -2.5, -2, -1.5 and -1 min.
	{act + "GetSample(3 * TimeInterval_Minute)", "[10,9,8,7]"},
	{act + "GetSamplePercent(3 * TimeInterval_Minute)", "66.66666666666667"},
	{act + "GetSample(3 * TimeInterval_Minute, 60)", "[10,9,8,7]"},
	// (now-3 min, now-2 min]: -2.5 and -2 min, 2 of 2 possible.
	{act + "GetSample(2 * TimeInterval_Minute, 3 * TimeInterval_Minute)", "[8,7]"},
	{act + "GetSample(3 * TimeInterval_Minute, 2 * TimeInterval_Minute)", "[8,7]"},
	{act + "GetSample(2 * TimeInterval_Minute, 3 * TimeInterval_Minute, 100)", "[8,7]"},
	{act + "GetSamplePercent(2 * TimeInterval_Minute, 3 * TimeInterval_Minute)", "100"},
	// (now-1 min, now] is empty: samples are a minute late.
	{act + "GetSample(TimeInterval_Minute)", "[]"},
	{act + "GetSamplePercent(TimeInterval_Minute)", "0"},
	{act + "GetSamplePercent(TimeInterval_Zero)", "0"},
	// Timestamps are absolute ends.
	{act + "GetSample(time() + (-3 * TimeInterval_Minute))", "[10,9,8,7]"},
	{act + "GetSample(time() + (-3 * TimeInterval_Minute), time() + (-2 * TimeInterval_Minute))", "[8,7]"},
	{act + "GetSample(TimeInterval_Minute * 2, time())", "[10,9]"},
	{act + "GetSamplePeriod()", "00:00:30"},
	{act + "Count()", "10"},
	{act + "HistoryBeginTime()", "2016-10-13T19:13:17.805Z"},
	{"time() - " + act + "HistoryBeginTime()", "00:05:30"},
	// A count variable reads as a number and has the methods too.
	{"$CurrentDedicatedNodes", "4"},
	{"$CurrentDedicatedNodes * 2", "8"},
	{"$CurrentDedicatedNodes.GetSample(1)", "[10]"},
	{"$CurrentDedicated.Count()", "10"},
	// No history at all: empty, 0 %, now.
	{"$PendingTasks.GetSample(10)", "[]"},
	{"$PendingTasks.GetSample(TimeInterval_Hour)", "[]"},
	{"$PendingTasks.GetSample(TimeInterval_Hour, 0)", "[]"},
	{"$PendingTasks.GetSamplePercent(TimeInterval_Hour)", "0"},
	{"$PendingTasks.Count()", "0"},
	{"$PendingTasks.GetSamplePeriod()", "00:00:30"},
	{"$PendingTasks.HistoryBeginTime()", "2016-10-13T19:18:47.805Z"},
}

// TestServiceVariables checks reads before assignment, aliases (the full
// name wins), plain values and the deallocation option.
func TestServiceVariables(t *testing.T) {
	env := &testEnv{now: thursday, vals: map[string]float64{
		"$TargetDedicatedNodes": 6, "$TargetLowPriorityNodes": 8, "$TaskSlotsPerNode": 4,
	}}
	tests := []struct {
		src  string
		want string // Result.String()
	}{
		{"", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue"},
		{"$TargetDedicatedNodes = $TargetDedicatedNodes / 2", "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue"},
		{"a = $TargetDedicated; b = $TargetLowPriority", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;a=6;b=8"},
		{"$TargetDedicated = 2", "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;$TargetDedicated=2"},
		{"$TargetDedicated = 2; a = $TargetDedicatedNodes", "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;$TargetDedicated=2;a=2"},
		{"$TargetDedicatedNodes = 5; $TargetDedicated = 2", "$TargetDedicatedNodes=5;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;$TargetDedicated=2"},
		{"$TargetDedicated = 2; $TargetDedicatedNodes = 5", "$TargetDedicatedNodes=5;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;$TargetDedicated=2"},
		{"$TargetLowPriority = 1; $TargetLowPriorityNodes = 7", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=7;$NodeDeallocationOption=requeue;$TargetLowPriority=1"},
		{"$TargetLowPriorityNodes = $TaskSlotsPerNode", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=4;$NodeDeallocationOption=requeue"},
		{"$NodeDeallocationOption = terminate", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=terminate"},
		{`$NodeDeallocationOption = "retaineddata"`, "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=retaineddata"},
		{"o = $NodeDeallocationOption", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;o=requeue"},
		// User variables with and without $, reassigned with another type.
		{"$x = 1; x = [1]; $x = $x + 1", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;$x=2;x=[1]"},
		{"a = 1; a = time()", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=8;$NodeDeallocationOption=requeue;a=2016-10-13T19:18:47.805Z"},
	}
	for _, tt := range tests {
		f, err := autoscale.Parse("", tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		r, err := f.Eval(env)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.src, err)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("Eval(%q) =\n%s\nwant\n%s", tt.src, got, tt.want)
		}
	}
}

// TestStop checks that stop() ends evaluation keeping earlier assignments,
// including from a conditional branch.
func TestStop(t *testing.T) {
	env := &testEnv{now: thursday, vals: map[string]float64{"$TargetDedicatedNodes": 6}}
	tests := []struct {
		src     string
		want    string
		stopped bool
	}{
		{"$TargetDedicatedNodes = 1; stop(); $TargetDedicatedNodes = 2", "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue", true},
		{"a = 1; $TargetDedicatedNodes = a > 0 ? stop() : 3", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;a=1", true},
		{"a = 0; $TargetDedicatedNodes = a > 0 ? stop() : 3", "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;a=0", false},
		{"1 ? stop() : stop(); a = 1", "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue", true},
	}
	for _, tt := range tests {
		f, err := autoscale.Parse("", tt.src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.src, err)
		}
		r, err := f.Eval(env)
		if err != nil {
			t.Fatalf("Eval(%q): %v", tt.src, err)
		}
		if got := r.String(); got != tt.want || r.Stopped != tt.stopped {
			t.Errorf("Eval(%q) = %s stopped=%v, want %s stopped=%v", tt.src, got, r.Stopped, tt.want, tt.stopped)
		}
	}
}

// TestTargets checks truncation toward zero and clamping.
func TestTargets(t *testing.T) {
	tests := []struct {
		d, lp     float64
		wantD, wL int
	}{
		{2.9, 0.5, 2, 0}, {-3, -0.5, 0, 0}, {1e300, 7, autoscale.MaxTarget, 7}, {25, 3.999, 25, 3},
		{math.MaxInt32 - 0.5, 0, math.MaxInt32 - 1, 0},
	}
	for _, tt := range tests {
		r := &autoscale.Result{TargetDedicatedNodes: tt.d, TargetLowPriorityNodes: tt.lp}
		if d, lp := r.Targets(); d != tt.wantD || lp != tt.wL {
			t.Errorf("Targets(%v, %v) = %d, %d, want %d, %d", tt.d, tt.lp, d, lp, tt.wantD, tt.wL)
		}
	}
}

// TestHistoryBounded checks that a History keeps at most MaxSamples samples,
// dropping the oldest, and panics when time goes backwards.
func TestHistoryBounded(t *testing.T) {
	var h autoscale.History
	start := thursday
	n := autoscale.MaxSamples + 100
	for i := range n {
		h.Add(start.Add(time.Duration(i)*30*time.Second), float64(i))
	}
	if h.Len() != autoscale.MaxSamples {
		t.Fatalf("Len = %d, want %d", h.Len(), autoscale.MaxSamples)
	}
	if ts, v := h.At(0); v != 100 || !ts.Equal(start.Add(100*30*time.Second)) {
		t.Errorf("oldest = %v, %v, want sample 100", ts, v)
	}
	if _, v := h.At(h.Len() - 1); v != float64(n-1) {
		t.Errorf("newest = %v, want %d", v, n-1)
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "autoscale: ") {
			t.Errorf("Add backwards: recover() = %v, want an autoscale panic", r)
		}
	}()
	h.Add(start, 1)
}

// TestConstEnv checks the defaults and constant histories of ConstEnv.
func TestConstEnv(t *testing.T) {
	env := autoscale.ConstEnv(thursday, map[string]float64{"$CurrentDedicated": 3, "$CPUPercent": 55})
	tests := []struct{ x, want string }{
		{"$TaskSlotsPerNode", "1"},
		{"$TargetDedicatedNodes", "0"},
		{"$CurrentDedicatedNodes", "3"},
		{"avg($CPUPercent.GetSample(TimeInterval_Hour, 100))", "55"},
		{"len($CPUPercent.GetSample(TimeInterval_Day, 100))", "2880"},
		{"len($CPUPercent.GetSample(TimeInterval_Minute * 10, 100))", "20"},
		{"max($DiskBytes.GetSample(TimeInterval_Day, 100))", "0"},
		{"$CPUPercent.Count()", "2880"},
		{"time() - $CPUPercent.HistoryBeginTime()", "23:59:30"},
	}
	for _, tt := range tests {
		if got := evalValue(t, env, "", tt.x); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.x, got, tt.want)
		}
	}
	a, b := env.Rand(), env.Rand()
	env2 := autoscale.ConstEnv(thursday, nil)
	if a2, b2 := env2.Rand(), env2.Rand(); a != a2 || b != b2 || a == b || a < 0 || a >= 1 {
		t.Errorf("Rand not reproducible: %v %v vs %v %v", a, b, a2, b2)
	}
}

// TestHistoryOddPeriods checks that periods below one tick or unset do not
// break percentages: the zero Period means 30 s.
func TestHistoryOddPeriods(t *testing.T) {
	for _, period := range []time.Duration{0, -time.Second, 50 * time.Nanosecond} {
		h := &autoscale.History{Period: period}
		h.Add(thursday.Add(-time.Minute), 1)
		env := &testEnv{now: thursday, hists: map[string]*autoscale.History{"$CPUPercent": h}}
		got := evalValue(t, env, "", "$CPUPercent.GetSamplePercent(TimeInterval_Hour)")
		want := "0.8333333333333334" // 1 of 120
		if period > 0 {
			want = "2.777777777777778e-09" // 1 of 3.6e10 one-tick periods
		}
		if got != want {
			t.Errorf("period %v: percent = %s, want %s", period, got, want)
		}
	}
}
