package scenarios

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
)

// reader decodes a generic TOML tree, recording errors with positions.
type reader struct {
	file     string
	pos      map[string]Pos         // key path (index form) -> position in the file
	strs     map[string]Pos         // string value path -> where its text starts
	start    time.Time              // simulation.start, for timestamps in traces
	horizon  time.Duration          // simulation.horizon
	pools    map[string]*model.Pool // decoded pools, for checks of the jobs on them
	slotsSet map[string]bool        // pools whose task_slots_per_node the file sets
	flags    map[string]string      // key path (index form) -> the --set flag that set it
	origin   map[string]Pos         // key path (index form) -> the [reference] key that set it
	errs     ErrorList
	unread   [][]string // key paths (index form) the decoder found problems with
	files    fileReader
}

// at returns the position of the key path: the flag that set it or one of
// its parents, else its place in the file, else the flag that made it by
// setting a key below it (--set pool.main.x=1 makes an unknown "pool"),
// else its nearest located parent.
func (r *reader) at(path []string) Pos {
	for n := len(path); n > 0; n-- {
		if f, ok := r.flags[join(path[:n])]; ok {
			return Pos{File: r.file, Flag: f}
		}
		if p, ok := r.origin[join(path[:n])]; ok {
			p.File = r.file
			return p
		}
	}
	if _, inFile := r.pos[join(path)]; !inFile && len(path) > 0 {
		prefix := join(path) + "."
		for _, k := range slices.Sorted(maps.Keys(r.flags)) {
			if strings.HasPrefix(k, prefix) {
				return Pos{File: r.file, Flag: r.flags[k]}
			}
		}
	}
	for n := len(path); n > 0; n-- {
		if p, ok := r.pos[join(path[:n])]; ok {
			p.File = r.file
			return p
		}
	}
	return Pos{File: r.file}
}

// tbl is one TOML table being decoded.
type tbl struct {
	r     *reader
	m     map[string]any
	path  []string // index form, for locate
	label string   // display form, arrays by element name
	known map[string]bool
	// absent holds "missing key" messages, reported by Done unless an
	// unknown key there is a near miss for the missing one (a typo says it all).
	absent map[string]string
}

// missing reports that a required key is absent (at Done).
func (t *tbl) missing(key, format string, a ...any) {
	t.known[key] = true
	if t.absent == nil {
		t.absent = map[string]string{}
	}
	t.absent[key] = "missing: " + fmt.Sprintf(format, a...)
}

func (r *reader) root(m map[string]any) *tbl {
	return &tbl{r: r, m: m, known: map[string]bool{}}
}

func (t *tbl) sub(key string) ([]string, string) {
	p := append(append([]string(nil), t.path...), key)
	shown := key
	if key == "" || strings.IndexFunc(key, func(r rune) bool { return r > 127 || !isBare(byte(r)) }) >= 0 {
		shown = strconv.Quote(key) // as TOML would write it: " ", "a.b"
	}
	if t.label == "" {
		return p, shown
	}
	return p, t.label + "." + shown
}

// errorf reports a problem with key, whose value is then unread (the
// decoder goes on with a default).
func (t *tbl) errorf(key, format string, a ...any) {
	p, _ := t.sub(key)
	t.limitf(key, format, a...)
	t.r.unread = append(t.r.unread, p)
}

// limitf reports that key's value, read all the same, is beyond a limit.
func (t *tbl) limitf(key, format string, a ...any) {
	p, label := t.sub(key)
	t.r.errs.Add(t.r.at(p), label, format, a...)
}

func (t *tbl) get(key string) (any, bool) {
	t.known[key] = true
	if t.m == nil {
		return nil, false
	}
	v, ok := t.m[key]
	return v, ok
}

// Has reports whether key is set.
func (t *tbl) Has(key string) bool {
	_, ok := t.get(key)
	return ok
}

func typeName(v any) string {
	switch v.(type) {
	case int64:
		return "integer"
	case float64:
		return "float"
	case string:
		return "string"
	case bool:
		return "boolean"
	case time.Time:
		return "datetime"
	case map[string]any:
		return "table"
	case []map[string]any, []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

// aTypeName is typeName with its article: "an integer", "a string".
func aTypeName(v any) string {
	n := typeName(v)
	if strings.ContainsRune("aeiou", rune(n[0])) {
		return "an " + n
	}
	return "a " + n
}

// Int reads an integer in [min, max].
func (t *tbl) Int(key string, def, min, max int) int {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) {
			t.errorf(key, "must be a whole number, got %v", x)
			return def
		}
		n = int64(x)
	default:
		t.errorf(key, "must be an integer, got %s", aTypeName(v))
		return def
	}
	if n < int64(min) || n > int64(max) {
		t.errorf(key, "must be between %d and %d, got %d", min, max, n)
		return def
	}
	return int(n)
}

// Integer reads an integer whose range the model checks.
func (t *tbl) Integer(key string, def int) int { return t.Int(key, def, math.MinInt, math.MaxInt) }

// Number reads a number whose range the model checks (NaN and the
// infinities included: the model says they are out of range).
func (t *tbl) Number(key string, def float64) float64 {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	t.errorf(key, "must be a number, got %s", aTypeName(v))
	return def
}

// Dur reads a duration whose range the model checks.
func (t *tbl) Dur(key string, def time.Duration) time.Duration {
	return t.Duration(key, def, math.MinInt64)
}

// Uint reads a non-negative 64-bit integer (seeds).
func (t *tbl) Uint(key string, def uint64) uint64 {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	n, isInt := v.(int64)
	if !isInt || n < 0 {
		t.errorf(key, "must be a non-negative integer, got %v", v)
		return def
	}
	return uint64(n)
}

// Float reads a finite number in [min, max].
func (t *tbl) Float(key string, def, min, max float64) float64 {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		t.errorf(key, "must be a number, got %s", aTypeName(v))
		return def
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < min || f > max {
		t.errorf(key, "must be between %g and %g, got %v", min, max, f)
		return def
	}
	return f
}

// Bool reads a boolean.
func (t *tbl) Bool(key string, def bool) bool {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	b, isBool := v.(bool)
	if !isBool {
		t.errorf(key, "must be true or false, got %s", aTypeName(v))
		return def
	}
	return b
}

// Str reads a string.
func (t *tbl) Str(key, def string) string {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	s, isStr := v.(string)
	if !isStr {
		t.errorf(key, "must be a string, got %s", aTypeName(v))
		return def
	}
	return s
}

// Enum reads a string that must be one of allowed.
func (t *tbl) Enum(key, def string, allowed ...string) string {
	n := len(t.r.errs)
	s := t.Str(key, def)
	if !t.Has(key) || len(t.r.errs) > n { // absent (the caller's default), or not a string (said)
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	t.errorf(key, "must be one of %s, got %q", quoteList(allowed), s)
	return def
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

// Duration reads a duration string ("90s", "36h", "30d") of at least min.
func (t *tbl) Duration(key string, def, min time.Duration) time.Duration {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	d, err := durationOf(v)
	if err != nil {
		t.errorf(key, "%v", err)
		return def
	}
	if d < min {
		t.errorf(key, "must be at least %s, got %s", dist.FormatDuration(min), dist.FormatDuration(d))
		return def
	}
	return d
}

func durationOf(v any) (time.Duration, error) {
	s, ok := v.(string)
	if !ok {
		if n, isInt := v.(int64); isInt && n == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("must be a duration string such as \"90s\", \"15m\", \"36h\" or \"30d\", got %s", aTypeName(v))
	}
	return dist.ParseDuration(s)
}

// Time reads a timestamp: a TOML datetime with an offset, or an RFC 3339 string.
func (t *tbl) Time(key string, def time.Time) time.Time {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	switch x := v.(type) {
	case time.Time:
		// The TOML decoder gives local dates and times (no offset) zones
		// of these names: a local time is a different instant in every
		// time zone, so it is refused.
		if zone, _ := x.Zone(); zone != "datetime-local" && zone != "date-local" && zone != "time-local" {
			return x.UTC()
		}
	case string:
		if ts, err := time.Parse(time.RFC3339, x); err == nil {
			return ts.UTC()
		}
	}
	t.errorf(key, "must be a date and time with its offset, such as 2025-01-06T08:00:00Z, got %v", v)
	return def
}

// Dist reads a duration distribution: a duration string (fixed) or an
// inline table { dist = "exponential", mean = "8h" }.
func (t *tbl) Dist(key string, def dist.Dist) dist.Dist {
	v, ok := t.get(key)
	if !ok {
		return def
	}
	if m, isTable := v.(map[string]any); isTable {
		return t.Table(key).distTable(m)
	}
	d, err := durationOf(v)
	if err != nil {
		t.errorf(key, "%v, or a table such as { dist = \"exponential\", mean = \"8h\" }", err)
		return def
	}
	if d < 0 {
		t.errorf(key, "must not be negative, got %s", dist.FormatDuration(d))
		return def
	}
	return dist.Const(d)
}

func (t *tbl) distTable(m map[string]any) dist.Dist {
	n := len(t.r.errs)
	kinds := []string{"fixed", "uniform", "exponential", "normal", "lognormal", "weibull", "empirical"}
	name := t.Enum("dist", "", kinds...)
	k, ok := dist.KindOf(name)
	if !ok {
		if !t.Has("dist") {
			t.missing("dist", "say which distribution (%s)", quoteList(kinds))
		}
		for key := range m { // which keys belong depends on the distribution: say nothing of them
			t.known[key] = true
		}
		t.Done()
		return dist.Dist{}
	}
	req := func(key string) time.Duration {
		if !t.Has(key) {
			t.missing(key, "%s distribution needs it", name)
		}
		return t.Duration(key, 0, 0)
	}
	d := dist.Dist{Kind: k}
	switch k {
	case dist.Fixed:
		d.Value = req("value")
	case dist.Uniform:
		d.Min, d.Max = req("min"), req("max")
	case dist.Exponential:
		d.Mean = req("mean")
	case dist.Normal, dist.LogNormal:
		d.Mean, d.StdDev = req("mean"), req("stddev")
	case dist.Weibull:
		if !t.Has("shape") {
			t.missing("shape", "weibull distribution needs it")
		}
		d.Shape = t.Float("shape", 1, 1e-3, 1e3)
		d.Scale = req("scale")
	case dist.Empirical:
		file := t.Str("file", "")
		if file == "" {
			t.missing("file", "empirical distribution needs a CSV file of durations")
			break
		}
		samples, err := t.r.files.durations(file)
		if err != nil {
			t.errorf("file", "%v", err)
			break
		}
		d.Samples = samples
	}
	t.Done()
	if len(t.r.errs) == n {
		if err := d.Validate(); err != nil {
			t.r.errs.Add(t.r.at(t.path), t.label, "%v", err)
			t.r.unread = append(t.r.unread, t.path)
		}
	}
	return d
}

// Table returns the sub-table key (an empty one when absent).
func (t *tbl) Table(key string) *tbl {
	p, label := t.sub(key)
	s := &tbl{r: t.r, path: p, label: label, known: map[string]bool{}}
	v, ok := t.get(key)
	if !ok {
		return s
	}
	m, isTable := v.(map[string]any)
	if !isTable {
		t.errorf(key, "must be a table, got %s", aTypeName(v))
		return s
	}
	s.m = m
	return s
}

// Tables returns the elements of an array of tables; each is labelled by
// its name key when it has one.
func (t *tbl) Tables(key string) []*tbl {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	var ms []map[string]any
	switch x := v.(type) {
	case []map[string]any:
		ms = x
	case []any:
		for _, e := range x {
			m, isTable := e.(map[string]any)
			if !isTable {
				t.errorf(key, "must be an array of tables ([[%s]]), got an element of type %s", key, typeName(e))
				return nil
			}
			ms = append(ms, m)
		}
	default:
		t.errorf(key, "must be an array of tables ([[%s]]), got %s", key, aTypeName(v))
		return nil
	}
	out := make([]*tbl, len(ms))
	for i, m := range ms {
		p, label := t.sub(key)
		p = append(p, strconv.Itoa(i))
		if n, isStr := m["name"].(string); isStr && n != "" {
			label += "." + n
		} else {
			label += "." + strconv.Itoa(i)
		}
		out[i] = &tbl{r: t.r, m: m, path: p, label: label, known: map[string]bool{}}
	}
	return out
}

// Done reports every key of the table that no accessor asked for, with a
// suggestion when one is close to a known key.
func (t *tbl) Done() {
	var unknown []string
	for k := range t.m {
		if !t.known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	explained := map[string]bool{}
	for _, k := range unknown {
		msg := "unknown key"
		if s := suggest(k, t.known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
			explained[s] = true
		}
		t.errorf(k, "%s", msg)
	}
	keys := make([]string, 0, len(t.absent))
	for k := range t.absent {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !explained[k] {
			t.errorf(k, "%s", t.absent[k])
		}
	}
	t.absent = nil
}

// suggest returns the known key closest to k, if it is close enough to be a typo.
func suggest(k string, known map[string]bool) string {
	best, bestD := "", 1+len(k)/3
	names := make([]string, 0, len(known))
	for n := range known {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if d := levenshtein(k, n); d < bestD || (d <= bestD && best == "" && d <= 2) {
			best, bestD = n, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
