package autoscale

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Signature is one typed form of a function or method. A TypeDoubleVecList
// parameter, always the only one, takes any number of double and doubleVec
// arguments, flattened into one doubleVec; typeAnyTime takes a timestamp or
// a timeinterval.
type Signature struct {
	Params []Type
	Result Type
}

// String renders s as "(double, double) doubleVec".
func (s *Signature) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range s.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.String())
	}
	b.WriteString(") ")
	b.WriteString(s.Result.String())
	return b.String()
}

// Function is a built-in function or a method of metric variables. Its
// signatures, tried in order, drive arity and type checks; the first that
// accepts the arguments is used.
type Function struct {
	Name string
	Sigs []Signature
	Doc  string // one line

	call func(c *call, args []value) (value, error)
	// reduce, for a function of a flattened doubleVecList to a double
	// (min, max, avg, ...), is what it computes: its call is
	// reduction(f), and the evaluator's fast path (compileReduce) calls it
	// directly. It fails on no values unless emptyOK.
	reduce  func([]float64) float64
	emptyOK bool
}

// call is the context of one function or method invocation.
type call struct {
	ev   *evaluator
	sig  *Signature
	hist *History // receiver's history, for methods
	name string   // receiver's name, for methods
}

var (
	sigDouble  = Signature{Params: []Type{TypeDouble}, Result: TypeDouble}
	sigVecList = Signature{Params: []Type{TypeDoubleVecList}, Result: TypeDouble}
	sigMapVec  = Signature{Params: []Type{TypeDoubleVecList}, Result: TypeDoubleVec}
)

// elementwise returns a function applying f to a double, or to every element
// of a flattened doubleVecList.
func elementwise(f func(float64) float64) func(*call, []value) (value, error) {
	return func(c *call, args []value) (value, error) {
		if c.sig.Result == TypeDouble {
			return num(f(args[0].num)), nil
		}
		v := c.ev.flatten(args)
		out := c.ev.floats(len(v))
		for i, x := range v {
			out[i] = f(x)
		}
		return vec(out), nil
	}
}

// reduction returns the call of a reducing function f: its flattened
// doubleVecList, reduced by f.reduce.
func reduction(f *Function) func(*call, []value) (value, error) {
	return func(c *call, args []value) (value, error) {
		v := c.ev.flatten(args)
		if len(v) == 0 && !f.emptyOK {
			return value{}, fmt.Errorf("%s of an empty vector", f.Name)
		}
		return num(f.reduce(v)), nil
	}
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func minOf(v []float64) float64 {
	m := v[0]
	for _, x := range v[1:] {
		m = math.Min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v[1:] {
		m = math.Max(m, x)
	}
	return m
}

// roundHalfAway rounds to the nearest integer, halves away from zero.
func roundHalfAway(x float64) float64 { return math.Round(x) }

// Functions is the table of built-in functions, by name.
var Functions = map[string]*Function{}

func init() {
	for _, f := range []*Function{
		{Name: "avg", Sigs: []Signature{sigVecList}, Doc: "mean of the values", reduce: func(v []float64) float64 { return sum(v) / float64(len(v)) }},
		{Name: "len", Sigs: []Signature{sigVecList}, Doc: "number of values", reduce: func(v []float64) float64 { return float64(len(v)) }, emptyOK: true},
		{Name: "lg", Sigs: []Signature{sigDouble, sigMapVec}, Doc: "log base 2; elementwise on a vector", call: elementwise(math.Log2)},
		{Name: "ln", Sigs: []Signature{sigDouble, sigMapVec}, Doc: "natural log; elementwise on a vector", call: elementwise(math.Log)},
		{Name: "log", Sigs: []Signature{sigDouble, sigMapVec}, Doc: "log base 10; elementwise on a vector", call: elementwise(math.Log10)},
		{Name: "max", Sigs: []Signature{sigVecList}, Doc: "largest value", reduce: maxOf},
		{Name: "min", Sigs: []Signature{sigVecList}, Doc: "smallest value", reduce: minOf},
		{Name: "norm", Sigs: []Signature{sigVecList}, Doc: "two-norm of the values", reduce: func(v []float64) float64 {
			s := 0.0
			for _, x := range v {
				s += x * x
			}
			return math.Sqrt(s)
		}, emptyOK: true},
		{Name: "percentile", Sigs: []Signature{{Params: []Type{TypeDoubleVec, TypeDouble}, Result: TypeDouble}}, Doc: "the p-th percentile element of v (nearest rank, p in 0..100)", call: percentile},
		{Name: "rand", Sigs: []Signature{{Result: TypeDouble}}, Doc: "uniform random number in [0, 1)", call: func(c *call, a []value) (value, error) { return num(c.ev.env.Rand()), nil }},
		{Name: "range", Sigs: []Signature{sigVecList}, Doc: "max − min of the values", reduce: func(v []float64) float64 { return maxOf(v) - minOf(v) }},
		{Name: "std", Sigs: []Signature{sigVecList}, Doc: "sample standard deviation of the values (0 for one value)", reduce: stdDev},
		{Name: "stop", Sigs: []Signature{{Result: TypeVoid}}, Doc: "stops evaluation; assignments made so far stand", call: func(c *call, a []value) (value, error) { return value{}, errStop }},
		{Name: "sum", Sigs: []Signature{sigVecList}, Doc: "sum of the values", reduce: sum, emptyOK: true},
		{Name: "time", Sigs: []Signature{{Result: TypeTimestamp}, {Params: []Type{TypeString}, Result: TypeTimestamp}}, Doc: "now, or the time of a W3C-DTF or RFC 1123 string", call: timeFunc},
		{Name: "val", Sigs: []Signature{{Params: []Type{TypeDoubleVec, TypeDouble}, Result: TypeDouble}}, Doc: "element i of v, counting from 0", call: valFunc},
		{Name: "ceil", Sigs: []Signature{sigDouble, sigMapVec}, Doc: "smallest integer ≥ x; elementwise on a vector", call: elementwise(math.Ceil)},
		{Name: "floor", Sigs: []Signature{sigDouble, sigMapVec}, Doc: "largest integer ≤ x; elementwise on a vector", call: elementwise(math.Floor)},
		{Name: "round", Sigs: []Signature{sigDouble, sigMapVec}, Doc: "nearest integer, halves away from zero; elementwise on a vector", call: elementwise(roundHalfAway)},
	} {
		if f.reduce != nil {
			f.call = reduction(f)
		}
		Functions[f.Name] = f
	}
	for _, m := range []*Function{
		{Name: "GetSample", Sigs: []Signature{
			{Params: []Type{TypeDouble}, Result: TypeDoubleVec},
			{Params: []Type{typeAnyTime}, Result: TypeDoubleVec},
			{Params: []Type{typeAnyTime, TypeDouble}, Result: TypeDoubleVec},
			{Params: []Type{typeAnyTime, typeAnyTime}, Result: TypeDoubleVec},
			{Params: []Type{typeAnyTime, typeAnyTime, TypeDouble}, Result: TypeDoubleVec},
		}, Doc: "samples, newest first: the last count, or those in a window, optionally requiring a sample percentage", call: getSample},
		{Name: "GetSamplePercent", Sigs: []Signature{
			{Params: []Type{typeAnyTime}, Result: TypeDouble},
			{Params: []Type{typeAnyTime, typeAnyTime}, Result: TypeDouble},
		}, Doc: "percentage of the possible samples of a window that are available", call: getSamplePercent},
		{Name: "GetSamplePeriod", Sigs: []Signature{{Result: TypeTimeInterval}}, Doc: "sampling period of the history", call: func(c *call, a []value) (value, error) {
			return interval(c.hist.period().Nanoseconds() / Tick), nil
		}},
		{Name: "Count", Sigs: []Signature{{Result: TypeDouble}}, Doc: "number of samples in the history", call: func(c *call, a []value) (value, error) {
			return num(float64(c.hist.Len())), nil
		}},
		{Name: "HistoryBeginTime", Sigs: []Signature{{Result: TypeTimestamp}}, Doc: "time of the oldest sample (now if there is none)", call: func(c *call, a []value) (value, error) {
			if c.hist.Len() == 0 {
				return stamp(c.ev.now), nil
			}
			t, _ := c.hist.At(0)
			return stamp(t), nil
		}},
	} {
		Methods[m.Name] = m
	}
}

// Methods is the table of methods of sampled variables, by name.
var Methods = map[string]*Function{}

// FunctionNames returns the names of the built-in functions, sorted.
func FunctionNames() []string {
	names := make([]string, 0, len(Functions))
	for n := range Functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// errStop is returned by stop() to end evaluation.
var errStop = errors.New("stop")

// stdDev is the sample standard deviation; 0 for a single value.
func stdDev(v []float64) float64 {
	if len(v) < 2 {
		return 0
	}
	mean := sum(v) / float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(v)-1))
}

// percentile returns the nearest-rank p-th percentile of v: the smallest
// element such that at least p % of the elements are ≤ it.
func percentile(c *call, a []value) (value, error) {
	v, p := a[0].vec, a[1].num
	if len(v) == 0 {
		return value{}, errors.New("percentile of an empty vector")
	}
	if !(p >= 0 && p <= 100) {
		return value{}, fmt.Errorf("percentile %s is outside [0, 100]", formatNumber(p))
	}
	s := append(c.ev.floats(len(v))[:0], v...)
	sort.Float64s(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return num(s[max(rank-1, 0)]), nil
}

// valFunc returns element i of v; i is truncated toward zero.
func valFunc(c *call, a []value) (value, error) {
	v, i := a[0].vec, a[1].num
	if !(i > -1 && i < float64(len(v))) {
		return value{}, fmt.Errorf("index %s out of range for vector of length %d", formatNumber(i), len(v))
	}
	return num(v[int(i)]), nil
}

// timeFunc returns now, or parses its argument.
func timeFunc(c *call, a []value) (value, error) {
	if len(a) == 0 || a[0].str == "" {
		return stamp(c.ev.now), nil
	}
	t, err := parseTime(a[0].str)
	if err != nil {
		return value{}, err
	}
	return stamp(t), nil
}

// timeLayouts are the accepted forms of time(s): W3C-DTF (the ISO 8601
// profile: year, year-month, date, date and time with optional seconds and
// fraction, zone Z or ±hh:mm; a missing zone means UTC) and RFC 1123.
var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
	time.RFC1123,
	time.RFC1123Z,
}

// parseTime parses a W3C-DTF or RFC 1123 time, returned in UTC.
func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1 {
				break
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time(%q): not a W3C-DTF or RFC 1123 date-time", s)
}
