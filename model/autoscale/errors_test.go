package autoscale_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/model/autoscale"
)

// TestParseErrors compares the full rendered error, position included, for
// lexical, syntax and type errors.
func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		_, err := autoscale.Parse("f", tt.src)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error %q", tt.src, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Parse(%q) error\n got %s\nwant %s", tt.src, got, tt.want)
		}
		var list autoscale.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Errorf("Parse(%q) error is %T, want a non-empty ErrorList", tt.src, err)
		}
	}
}

var parseErrorTests = []struct{ src, want string }{
	// Lexical errors.
	{"a = 1 % 2", "f:1:7: unexpected \"%\": the formula language has no % operator"},
	{"a = 1 & 2", "f:1:7: unexpected \"&\" (the logical and operator is &&)"},
	{"a = 1 | 2", "f:1:7: unexpected \"|\" (the logical or operator is ||)"},
	{"a = 'x'", "f:1:5: unexpected \"'\": strings are written in double quotes"},
	{"a = \"abc\nb = 1", "f:1:5: unterminated string literal"},
	{"a = $ + 1", "f:1:5: expected a variable name after $"},
	{"a = 1e", "f:1:5: malformed number \"1e\": exponent has no digits"},
	{"a = 12abc", "f:1:5: malformed number \"12abc\""},
	{"a = 1;\n  b = é", "f:2:7: unexpected character \"é\""},
	{"a = 1 # 2", "f:1:7: unexpected character '#'"},
	{"a = 1e999", "f:1:5: number 1e999 is out of range"},

	// Syntax errors.
	{"a = ", "f:1:5: expected an expression, found end of formula"},
	{"a = (1 + 2", "f:1:11: expected \")\" to close \"(\", found end of formula"},
	{"a = 1 b = 2", "f:1:7: expected \";\" after statement, found identifier b"},
	{"a = max(1 2)", "f:1:11: expected \",\" or \")\" in function arguments, found number 2"},
	{"a = [1, 2", "f:1:10: expected \",\" or \"]\" in vector elements, found end of formula"},
	{"a = b ? 1", "f:1:10: expected \":\" in conditional expression, found end of formula"},
	{"1 + 2 = 3", "f:1:7: cannot assign to an expression: the left of = must be a variable name"},
	{"a = $x(1)", "f:1:7: $x is a variable, not a function"},
	{"a = time().$x", "f:1:12: expected a member or method name after \".\", found identifier $x"},
	{"a = time().", "f:1:12: expected a member or method name after \".\", found end of formula"},
	{"a = 1; b = ) ; c = (", "f:1:12: expected an expression, found \")\" (and 1 more errors)"},

	// Type errors.
	{"a = b", "f:1:5: undefined variable b"},
	{"a = $targetDedicatedNodes", "f:1:5: undefined variable $targetDedicatedNodes (did you mean $TargetDedicatedNodes?)"},
	{"a = TimeInterval_Minutes", "f:1:5: unknown constant TimeInterval_Minutes"},
	{"a = avg", "f:1:5: avg is a function: call it as avg(...)"},
	{"a = foo(1)", "f:1:5: unknown function foo"},
	{"$PendingTasks = 3", "f:1:1: cannot assign to $PendingTasks: it is a read-only service variable"},
	{"x = 1;\n  $CurrentDedicatedNodes = 3", "f:2:3: cannot assign to $CurrentDedicatedNodes: it is a read-only service variable"},
	{"$TaskSlotsPerNode = 3", "f:1:1: cannot assign to $TaskSlotsPerNode: it is a read-only service variable"},
	{"requeue = 3", "f:1:1: cannot assign to requeue: it is a $NodeDeallocationOption value"},
	{"TimeInterval_Hour = 3", "f:1:1: cannot assign to constant TimeInterval_Hour"},
	{"$TargetDedicatedNodes = [1, 2]", "f:1:1: cannot assign doubleVec to $TargetDedicatedNodes (want double)"},
	{"$NodeDeallocationOption = 1", "f:1:1: cannot assign double to $NodeDeallocationOption (want string)"},
	{"$NodeDeallocationOption = \"drain\"", "f:1:27: invalid $NodeDeallocationOption value \"drain\": want requeue, terminate, taskcompletion or retaineddata"},
	{"a = $CPUPercent", "f:1:5: $CPUPercent is a sampled metric: use one of its methods, such as $CPUPercent.GetSample(1)"},
	{"a = $CPUPercent + 1", "f:1:5: $CPUPercent is a sampled metric: use one of its methods, such as $CPUPercent.GetSample(1)"},
	{"a = $CPUPercent.Count", "f:1:17: method Count must be called: $CPUPercent.Count()"},
	{"a = $CPUPercent.GetSamples(1)", "f:1:17: unknown method GetSamples of $CPUPercent"},
	{"a = $TaskSlotsPerNode.GetSample(1)", "f:1:23: method GetSample needs a sampled service variable such as $PendingTasks, not double"},
	{"x = 1; a = x.GetSample(1)", "f:1:14: method GetSample needs a sampled service variable such as $PendingTasks, not double"},
	{"a = time().hour()", "f:1:12: hour is a timestamp member, not a method: write .hour without ()"},
	{"a = time().hours", "f:1:12: unknown timestamp member .hours (want year, month, day, weekday, hour, minute or second)"},
	{"a = (1).hour", "f:1:9: member .hour needs a timestamp, not double"},
	{"a = stop()", "f:1:5: stop() has no value"},
	{"a = 1 + stop()", "f:1:9: stop() has no value"},
	{"a = 1 ? stop() : stop()", "f:1:5: stop() has no value"},
	{"a = 1 ? 2 : [3]", "f:1:7: branches of ?: have different types double and doubleVec"},
	{"a = [1] ? 2 : 3", "f:1:5: condition of ?: must be double, not doubleVec"},
	{"a = [1, \"x\"]", "f:1:9: vector element must be double or doubleVec, not string"},
	{"a = -\"x\"", "f:1:5: operator - not defined on string"},
	{"a = !TimeInterval_Hour", "f:1:5: operator ! not defined on timeinterval"},
	{"a = -[1]", "f:1:5: operator - not defined on doubleVec"},
	{"a = 2 * [1]", "f:1:7: operator * not defined on double and doubleVec (put the doubleVec on the left)"},
	{"a = [1] < 2", "f:1:9: operator < not defined on doubleVec and double"},
	{"a = time() - TimeInterval_Hour", "f:1:12: operator - not defined on timestamp and timeinterval (add a negative interval instead: t + (-1 * i))"},
	{"a = \"x\" + \"y\"", "f:1:9: operator + not defined on string and string"},
	{"a = 1 < \"x\"", "f:1:7: operator < not defined on double and string"},
	{"a = TimeInterval_Hour && 1", "f:1:23: operator && not defined on timeinterval and double"},
	{"a = 1 / TimeInterval_Hour", "f:1:7: operator / not defined on double and timeinterval"},
	{"a = time() + time()", "f:1:12: operator + not defined on timestamp and timestamp"},
	{"a = val(1, 0)", "f:1:9: val: argument 1 is double, want doubleVec"},
	{"a = val([1])", "f:1:5: wrong number of arguments to val: have 1, want 2"},
	{"a = rand(1)", "f:1:5: wrong number of arguments to rand: have 1, want 0"},
	{"a = avg(1, time())", "f:1:12: avg: argument 2 is timestamp, want double or doubleVec"},
	{"a = lg(\"x\")", "f:1:5: no form of lg takes (string); forms are lg(double) double, lg(doubleVecList) doubleVec"},
	{"a = time(1)", "f:1:5: no form of time takes (double); forms are time() timestamp, time(string) timestamp"},
	{"a = time(\"yesterday\")", "f:1:10: time(\"yesterday\"): not a W3C-DTF or RFC 1123 date-time"},
	{"a = $PendingTasks.GetSample(\"x\")", "f:1:19: no form of GetSample takes (string); forms are GetSample(double) doubleVec, GetSample(timestamp|timeinterval) doubleVec, GetSample(timestamp|timeinterval, double) doubleVec, GetSample(timestamp|timeinterval, timestamp|timeinterval) doubleVec, GetSample(timestamp|timeinterval, timestamp|timeinterval, double) doubleVec"},
	{"a = $PendingTasks.GetSample(1, 2)", "f:1:19: no form of GetSample takes (double, double); forms are GetSample(double) doubleVec, GetSample(timestamp|timeinterval) doubleVec, GetSample(timestamp|timeinterval, double) doubleVec, GetSample(timestamp|timeinterval, timestamp|timeinterval) doubleVec, GetSample(timestamp|timeinterval, timestamp|timeinterval, double) doubleVec"},
	{"a = $PendingTasks.Count(1)", "f:1:19: wrong number of arguments to Count: have 1, want 0"},
	{"a = $PendingTasks.GetSamplePercent(1)", "f:1:19: no form of GetSamplePercent takes (double); forms are GetSamplePercent(timestamp|timeinterval) double, GetSamplePercent(timestamp|timeinterval, timestamp|timeinterval) double"},
	// Several errors are all reported, sorted, without cascades from a
	// variable whose assignment failed.
	{"a = b;\nc = a + 1;\nd = e", "f:1:5: undefined variable b (and 1 more errors)"},
}

// TestErrorList checks that all errors are gathered and sorted.
func TestErrorList(t *testing.T) {
	_, err := autoscale.Parse("f", "a = b;\nc = a + 1;\nd = e + \"x\";\n$PendingTasks = 1")
	var list autoscale.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T, want ErrorList", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	want := []string{
		"f:1:5: undefined variable b",
		"f:3:5: undefined variable e",
		"f:4:1: cannot assign to $PendingTasks: it is a read-only service variable",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if autoscale.ErrorList(nil).Err() != nil {
		t.Error("empty ErrorList.Err() != nil")
	}
}

// TestLimits checks the size, statement and depth limits.
func TestLimits(t *testing.T) {
	big := "a = 1;" + strings.Repeat(" ", autoscale.MaxSource)
	many := strings.Repeat("a = 1;\n", autoscale.MaxStatements) + "b = 2;"
	exactly := strings.Repeat("a = 1;\n", autoscale.MaxStatements)
	deep := "a = " + strings.Repeat("(", autoscale.MaxDepth) + "1" + strings.Repeat(")", autoscale.MaxDepth)
	deepUnary := "a = " + strings.Repeat("-", 2*autoscale.MaxDepth) + "1"
	tests := []struct{ src, want string }{
		{big, "f:1:1: formula is 8198 bytes, more than the limit of 8192 bytes (8 KB)"},
		{many, "f:101:1: too many statements: a formula may have at most 100"},
		{exactly, ""},
		{deep, "f:1:37: expression nested too deeply (more than 64 levels)"},
		{deepUnary, "f:1:68: expression nested too deeply (more than 64 levels)"},
		{"a = " + strings.Repeat("max(", 40) + "1" + strings.Repeat(")", 40), "f:1:133: expression nested too deeply (more than 64 levels)"},
		{"a = " + strings.Repeat("1 + ", 1000) + "1", ""}, // long, but not deep
	}
	for _, tt := range tests {
		_, err := autoscale.Parse("f", tt.src)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Parse(%.40q...) error\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

// TestParseAt checks that positions of embedded formulas are shifted: lines
// by line-1, and columns by col-1 on the first line only.
func TestParseAt(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		want      string
	}{
		{"a = b", 1, 1, "s.toml:1:5: undefined variable b"},
		{"a = b", 12, 14, "s.toml:12:18: undefined variable b"},
		{"a = 1;\nc = b", 12, 14, "s.toml:13:5: undefined variable b"},
		{"a = 1;\n\n  c = (", 3, 9, "s.toml:5:8: expected an expression, found end of formula"},
		{"a = 1 % 2", 7, 20, "s.toml:7:26: unexpected \"%\": the formula language has no % operator"},
	}
	for _, tt := range tests {
		_, err := autoscale.ParseAt("s.toml", tt.src, tt.line, tt.col)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseAt(%q, %d, %d) = %v, want %q", tt.src, tt.line, tt.col, err, tt.want)
		}
	}
}

// TestVerbose checks the caret rendering, which stays relative to the
// formula's own text under ParseAt.
func TestVerbose(t *testing.T) {
	_, err := autoscale.ParseAt("s.toml", "x = 1;\n\ta = x + y", 4, 10)
	var list autoscale.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v", err)
	}
	want := "s.toml:5:10: undefined variable y\n    \ta = x + y\n    \t        ^"
	if got := list[0].Verbose(); got != want {
		t.Errorf("Verbose:\n%s\nwant:\n%s", got, want)
	}
	_, err = autoscale.ParseAt("s.toml", "a = b", 4, 10)
	errors.As(err, &list)
	want = "s.toml:4:14: undefined variable b\n    a = b\n        ^"
	if got := list[0].Verbose(); got != want {
		t.Errorf("Verbose:\n%s\nwant:\n%s", got, want)
	}
}

// TestEvalErrors checks evaluation failures: each is a positioned *Error.
func TestEvalErrors(t *testing.T) {
	env := autoscale.ConstEnv(thursday, map[string]float64{"$PendingTasks": 3})
	for _, tt := range evalErrorTests {
		f, err := autoscale.Parse("f", tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		_, err = f.Eval(env)
		got := ""
		if err != nil {
			got = err.Error()
			var pe *autoscale.Error
			if !errors.As(err, &pe) {
				t.Errorf("Eval(%q) error is %T, want *Error", tt.src, err)
			}
		}
		if got != tt.want {
			t.Errorf("Eval(%q) error\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

var evalErrorTests = []struct{ src, want string }{
	{"a = val([1, 2], 2)", "f:1:5: index 2 out of range for vector of length 2"},
	{"a = val([1, 2], -1)", "f:1:5: index -1 out of range for vector of length 2"},
	{"a = avg([])", "f:1:5: avg of an empty vector"},
	{"a = max(1, [])", ""},
	{"a = min([])", "f:1:5: min of an empty vector"},
	{"a = range([])", "f:1:5: range of an empty vector"},
	{"a = std([])", "f:1:5: std of an empty vector"},
	{"a = percentile([], 50)", "f:1:5: percentile of an empty vector"},
	{"a = percentile([1], 101)", "f:1:5: percentile 101 is outside [0, 100]"},
	{"a = [1, 2] + [1]", "f:1:12: operator + on doubleVecs of different lengths 2 and 1"},
	{"a = TimeInterval_Year * 1e12", "f:1:23: timeinterval out of range"},
	{"a = TimeInterval_Hour / 0", "f:1:23: timeinterval divided by zero"},
	{"a = time() + TimeInterval_Year * 9000", "f:1:12: timestamp out of range (years 1 to 9999)"},
	{"$TargetDedicatedNodes = 1 / 0", "f:1:1: $TargetDedicatedNodes = Infinity: a node target must be a finite number"},
	{"$TargetLowPriorityNodes = ln(-1)", "f:1:1: $TargetLowPriorityNodes = NaN: a node target must be a finite number"},
	{"x = \"drain\"; $NodeDeallocationOption = x", "f:1:14: invalid $NodeDeallocationOption value \"drain\": want requeue, terminate, taskcompletion or retaineddata"},
	{"a = $PendingTasks.GetSample(-1)", "f:1:5: $PendingTasks.GetSample: count -1 is negative"},
	{"a = $PendingTasks.GetSample(TimeInterval_Hour, 120)", "f:1:5: $PendingTasks.GetSample: sample percentage 120 is outside [0, 100]"},
	{"a = $PendingTasks.GetSample(TimeInterval_Year * 9000)", "f:1:5: timestamp out of range (years 1 to 9999)"},
	{"x = 1;\n  a = 2 + val($PendingTasks.GetSample(1), 3)", "f:2:11: index 3 out of range for vector of length 1"},
}

func ExampleError_Verbose() {
	_, err := autoscale.Parse("pool.formula", "$TargetDedicatedNodes = min(20, $PendingTask.GetSample(1));")
	for _, e := range err.(autoscale.ErrorList) {
		fmt.Println(e.Verbose())
	}
	// Output:
	// pool.formula:1:33: undefined variable $PendingTask (did you mean $PendingTasks?)
	//     $TargetDedicatedNodes = min(20, $PendingTask.GetSample(1));
	//                                     ^
}
