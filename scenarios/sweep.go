package scenarios

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model"
)

// Sweep is a scenario's [sweep] table: a grid of variants of the scenario
// and what makes one good enough. Every combination of the axes' values is
// a point; points are numbered with the first axis varying slowest.
//
//	[sweep]
//	pools.main.target_low_priority_nodes = [0, 5, 10, 20]
//	pools.main.task_scheduling = ["spread", "pack"]
//	deadline = "6h"    # recommend the cheapest point that meets it...
//	percentile = 95    # ...at this percentile of completion time
type Sweep struct {
	Axes []Axis
	// Deadline, when positive, asks for the cheapest point whose completion
	// time at Percentile is at most Deadline.
	Deadline time.Duration
	// Percentile of completion time, in (0, 100], that the frontier and the
	// recommendation use (default 95).
	Percentile float64
}

// Axis is one swept key: its dotted path, as --set takes it, and its values
// as TOML text.
type Axis struct {
	Path   string
	Values []string
	pos    []Pos // where each value was given
	flag   bool  // given on the command line
}

// DefaultPercentile is the percentile of completion time a sweep uses when
// [sweep] does not say.
const DefaultPercentile = 95

// MaxSweepPoints bounds a sweep's grid.
const MaxSweepPoints = 10000

// reserved are the [sweep] keys that are settings, not axes.
var reserved = map[string]bool{"deadline": true, "percentile": true}

// Sweep decodes the document's [sweep] table (an empty sweep, one point,
// when there is none). Errors are an ErrorList with positions.
func (d *Doc) Sweep() (*Sweep, error) {
	r := &reader{file: d.File, pos: d.pos, strs: d.strs, flags: map[string]string{}}
	sw := r.sweep(r.root(d.tree).Table("sweep"))
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	return sw, nil
}

// sweep decodes [sweep]; it is also called by the scenario decoder, so
// spotsim run and validate check the table too.
func (r *reader) sweep(t *tbl) *Sweep {
	sw := &Sweep{Percentile: DefaultPercentile}
	if t.m == nil {
		return sw
	}
	sw.Deadline = t.Duration("deadline", 0, time.Second)
	if t.Has("percentile") {
		sw.Percentile = t.Float("percentile", DefaultPercentile, 0, 100)
		if sw.Percentile == 0 {
			t.errorf("percentile", "must be above 0 (and at most 100), got 0")
			sw.Percentile = DefaultPercentile
		}
	}
	r.axes(t, nil, sw)
	t.Done()
	sort.SliceStable(sw.Axes, func(i, j int) bool {
		a, b := sw.Axes[i].pos[0], sw.Axes[j].pos[0]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	if n := sw.Len(); n > MaxSweepPoints || n < 0 {
		r.errs.Add(r.at(t.path), "sweep", "the grid has more than %d points; sweep fewer values or split the sweep", MaxSweepPoints)
	}
	return sw
}

// axes collects the arrays of t (and of its sub-tables) as axes.
func (r *reader) axes(t *tbl, prefix []string, sw *Sweep) {
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		if prefix != nil || !reserved[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := t.get(k)
		path := append(append([]string(nil), prefix...), k)
		var elems []any
		switch x := v.(type) {
		case map[string]any:
			sub := t.Table(k)
			r.axes(sub, path, sw)
			sub.Done()
			continue
		case []any:
			elems = x
		case []map[string]any:
			for _, m := range x {
				elems = append(elems, m)
			}
		default:
			t.errorf(k, "must be an array of the values to sweep, for example [0, 10, 20], got %s", aTypeName(v))
			continue
		}
		if len(elems) == 0 {
			t.errorf(k, "lists no values: give at least one, for example [0, 10, 20]")
			continue
		}
		a := Axis{Path: join(path)}
		seen := map[string]bool{}
		for i, e := range elems {
			s := tomlText(e)
			p, _ := t.sub(k)
			pos := r.at(append(p, strconv.Itoa(i)))
			if seen[s] {
				r.errs.Add(pos, "sweep."+a.Path, "value %s is listed twice", s)
				continue
			}
			seen[s] = true
			a.Values = append(a.Values, s)
			a.pos = append(a.pos, pos)
		}
		sw.Axes = append(sw.Axes, a)
	}
}

// Len returns the number of points of the grid (1 with no axes), or -1 when
// it would overflow.
func (sw *Sweep) Len() int {
	n := 1
	for _, a := range sw.Axes {
		if len(a.Values) > 0 && n > math.MaxInt32/len(a.Values) {
			return -1
		}
		n *= len(a.Values)
	}
	return n
}

// Index returns, for point i, the index of its value on each axis.
func (sw *Sweep) Index(i int) []int {
	idx := make([]int, len(sw.Axes))
	for k := len(sw.Axes) - 1; k >= 0; k-- {
		n := len(sw.Axes[k].Values)
		idx[k] = i % n
		i /= n
	}
	return idx
}

// Point returns the overrides that make point i.
func (sw *Sweep) Point(i int) []Set {
	sets := make([]Set, len(sw.Axes))
	for k, v := range sw.Index(i) {
		sets[k] = Set{Path: sw.Axes[k].Path, Value: sw.Axes[k].Values[v]}
	}
	return sets
}

// Set puts an axis given on the command line into the sweep: it replaces an
// axis of the same path from the file, or is added after the others.
func (sw *Sweep) Set(a Axis) {
	a.flag = true
	for i := range sw.Axes {
		if sw.Axes[i].Path == a.Path {
			sw.Axes[i] = a
			return
		}
	}
	sw.Axes = append(sw.Axes, a)
}

// Remove drops the axis of path, if any (a fixed --set of a swept key).
func (sw *Sweep) Remove(path string) {
	for i := range sw.Axes {
		if sw.Axes[i].Path == path {
			sw.Axes = append(sw.Axes[:i], sw.Axes[i+1:]...)
			return
		}
	}
}

// ParseAxis parses a sweep flag, --set PATH=V1,V2,...: the values are
// separated by commas outside brackets, braces and quotes, so each may be
// any TOML value (--set 'jobs.j.duration={dist="uniform",min="1m",max="3m"},"5m"').
// One value makes an axis of one point: a fixed override.
func ParseAxis(s string) (Axis, error) {
	set, err := ParseSet(s)
	if err != nil {
		return Axis{}, err
	}
	parts, err := splitTop(set.Value)
	if err != nil {
		return Axis{}, fmt.Errorf("--set %s: %v", s, err)
	}
	a := Axis{Path: set.Path, flag: true}
	seen := map[string]bool{}
	for _, p := range parts {
		if p == "" {
			return Axis{}, fmt.Errorf("--set %s: an empty value in the list", s)
		}
		if seen[p] {
			return Axis{}, fmt.Errorf("--set %s: value %s is listed twice", s, p)
		}
		seen[p] = true
		a.Values = append(a.Values, p)
		a.pos = append(a.pos, Pos{Flag: "--set " + set.Path + "=" + set.Value})
	}
	return a, nil
}

// splitTop splits s at the commas outside [], {} and quotes.
func splitTop(s string) ([]string, error) {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if quote != 0 || depth != 0 {
		return nil, errors.New("unbalanced quotes or brackets")
	}
	return append(out, strings.TrimSpace(s[start:])), nil
}

// Scenarios builds every point of the sweep: base overrides first (--set,
// --reps, --seed), then the point's values. Problems are gathered over all
// points into one ErrorList, each reported once, at the swept value that
// caused it (its place in the file, or its flag).
func (d *Doc) Scenarios(sw *Sweep, base ...Set) ([]*model.Scenario, error) {
	n := sw.Len()
	if n < 0 || n > MaxSweepPoints {
		return nil, &Error{Pos: Pos{File: d.File}, Path: "sweep", Msg: fmt.Sprintf("the grid has more than %d points; sweep fewer values or split the sweep", MaxSweepPoints)}
	}
	out := make([]*model.Scenario, n)
	var errs ErrorList
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		pt := sw.Point(i)
		sc, err := d.Scenario(append(append([]Set(nil), base...), pt...)...)
		if err == nil {
			out[i] = sc
			continue
		}
		var list ErrorList
		var one *Error
		switch {
		case errors.As(err, &list):
		case errors.As(err, &one):
			list = ErrorList{one}
		default:
			return nil, err
		}
		idx := sw.Index(i)
		for _, e := range list {
			e := *e
			key := e.Error() // the same problem in every point is reported once
			for k, s := range pt {
				if e.Pos.Flag == s.Flag() {
					// once per axis and message: a misspelt key fails every value
					key = sw.Axes[k].Path + "\x00" + e.Path + "\x00" + e.Msg
					e.Pos = sw.Axes[k].pos[idx[k]]
					if !sw.Axes[k].flag {
						e.Msg += fmt.Sprintf(" (swept value %s = %s)", s.Path, s.Value)
					}
				}
			}
			if !seen[key] {
				seen[key] = true
				errs = append(errs, &e)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// tomlText renders a decoded TOML value as TOML text, so --set and the
// sweep's outputs can carry it.
func tomlText(v any) string {
	switch x := v.(type) {
	case string:
		return tomlString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		switch {
		case math.IsNaN(x):
			return "nan"
		case math.IsInf(x, 1):
			return "inf"
		case math.IsInf(x, -1):
			return "-inf"
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return s
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = tomlText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []map[string]any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = tomlText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = tomlKey(k) + " = " + tomlText(x[k])
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case fmt.Stringer: // TOML dates and times
		return x.String()
	}
	return fmt.Sprint(v)
}

func tomlKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		if !isBare(k[i]) {
			return tomlString(k)
		}
	}
	return k
}

func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
