package autoscale

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Operators at run time. The checker has already matched operand types
// against the operator table, so these switch on the operand types alone.

var (
	errIntervalRange  = errors.New("timeinterval out of range")
	errTimestampRange = errors.New("timestamp out of range (years 1 to 9999)")
)

// ticksPerSecond is the number of 100 ns ticks in a second.
const ticksPerSecond = 10_000_000

// unary applies a prefix operator.
func unary(op tokenKind, x value) (value, error) {
	switch {
	case op == tokNot:
		return boolean(x.num == 0), nil
	case x.typ == TypeTimeInterval:
		if x.iv == math.MinInt64 {
			return value{}, errIntervalRange
		}
		return interval(-x.iv), nil
	}
	return num(-x.num), nil
}

// binary applies a binary operator other than the short-circuit part of
// && and ||.
func binary(op tokenKind, x, y value) (value, error) {
	switch op {
	case tokAnd:
		return boolean(x.num != 0 && y.num != 0), nil
	case tokOr:
		return boolean(x.num != 0 || y.num != 0), nil
	case tokLT, tokLE, tokGT, tokGE, tokEq, tokNE:
		return boolean(compare(op, cmp(x, y))), nil
	}
	switch [2]Type{x.typ, y.typ} {
	case [2]Type{TypeDouble, TypeDouble}:
		return num(arith(op, x.num, y.num)), nil
	case [2]Type{TypeDoubleVec, TypeDouble}:
		out := make([]float64, len(x.vec))
		for i, a := range x.vec {
			out[i] = arith(op, a, y.num)
		}
		return vec(out), nil
	case [2]Type{TypeDoubleVec, TypeDoubleVec}:
		if len(x.vec) != len(y.vec) {
			return value{}, fmt.Errorf("operator %s on doubleVecs of different lengths %d and %d", op, len(x.vec), len(y.vec))
		}
		out := make([]float64, len(x.vec))
		for i, a := range x.vec {
			out[i] = arith(op, a, y.vec[i])
		}
		return vec(out), nil
	case [2]Type{TypeDouble, TypeTimeInterval}:
		return scaleInterval(y.iv, x.num, tokMul)
	case [2]Type{TypeTimeInterval, TypeDouble}:
		return scaleInterval(x.iv, y.num, op)
	case [2]Type{TypeTimeInterval, TypeTimeInterval}:
		b := y.iv
		if op == tokSub {
			if b == math.MinInt64 {
				return value{}, errIntervalRange
			}
			b = -b
		}
		s := x.iv + b
		if (x.iv > 0 && b > 0 && s < 0) || (x.iv < 0 && b < 0 && s >= 0) {
			return value{}, errIntervalRange
		}
		return interval(s), nil
	case [2]Type{TypeTimestamp, TypeTimeInterval}:
		t, err := addTicks(x.ts, y.iv)
		return stamp(t), err
	case [2]Type{TypeTimeInterval, TypeTimestamp}:
		t, err := addTicks(y.ts, x.iv)
		return stamp(t), err
	case [2]Type{TypeTimestamp, TypeTimestamp}:
		return interval(diffTicks(x.ts, y.ts)), nil
	}
	panic(fmt.Sprintf("autoscale: operator %s on %s and %s passed the checker", op, x.typ, y.typ))
}

// arith applies + - * / to doubles with IEEE semantics (x/0 is ±Inf).
func arith(op tokenKind, a, b float64) float64 {
	switch op {
	case tokAdd:
		return a + b
	case tokSub:
		return a - b
	case tokMul:
		return a * b
	}
	return a / b
}

// cmp compares two values of the same comparable type: -1, 0 or +1; NaN
// compares unordered (2).
func cmp(x, y value) int {
	switch x.typ {
	case TypeString:
		return strings.Compare(x.str, y.str)
	case TypeTimestamp:
		return x.ts.Compare(y.ts)
	case TypeTimeInterval:
		switch {
		case x.iv < y.iv:
			return -1
		case x.iv > y.iv:
			return 1
		}
		return 0
	}
	switch {
	case x.num < y.num:
		return -1
	case x.num > y.num:
		return 1
	case x.num == y.num:
		return 0
	}
	return 2
}

// compare applies a comparison operator to the result of cmp.
func compare(op tokenKind, c int) bool {
	switch op {
	case tokLT:
		return c == -1
	case tokLE:
		return c == -1 || c == 0
	case tokGT:
		return c == 1
	case tokGE:
		return c == 1 || c == 0
	case tokEq:
		return c == 0
	}
	return c != 0 // tokNE, true for NaN
}

// scaleInterval multiplies or divides an interval by a double, rounding to
// the nearest tick.
func scaleInterval(ticks int64, f float64, op tokenKind) (value, error) {
	var r float64
	if op == tokDiv {
		if f == 0 {
			return value{}, errors.New("timeinterval divided by zero")
		}
		r = float64(ticks) / f
	} else {
		r = float64(ticks) * f
	}
	r = math.Round(r)
	if !(r > -9.2e18 && r < 9.2e18) {
		return value{}, errIntervalRange
	}
	return interval(int64(r)), nil
}

// addTicks returns t plus an interval, failing outside years 1 to 9999.
func addTicks(t time.Time, ticks int64) (time.Time, error) {
	sec, rem := ticks/ticksPerSecond, ticks%ticksPerSecond
	r := time.Unix(t.Unix()+sec, int64(t.Nanosecond())+rem*Tick).UTC()
	if y := r.Year(); y < 1 || y > 9999 {
		return time.Time{}, errTimestampRange
	}
	return r, nil
}

// diffTicks returns a − b in ticks. Both are within years 1 to 9999 (or
// close to now), so the result fits in an int64.
func diffTicks(a, b time.Time) int64 {
	return (a.Unix()-b.Unix())*ticksPerSecond + int64(a.Nanosecond()-b.Nanosecond())/Tick
}

// formatNumber renders a double as the canonical form and results do:
// fixed notation for ordinary magnitudes ("3", "0.25"), exponent notation
// for very large or small ones ("1e+21"), "NaN", "Infinity", "-Infinity".
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0" // also for -0
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// formatInterval renders ticks like .NET's TimeSpan "c" format:
// [-][d.]hh:mm:ss[.fffffff].
func formatInterval(ticks int64) string {
	var b strings.Builder
	u := uint64(ticks)
	if ticks < 0 {
		b.WriteByte('-')
		u = uint64(-(ticks + 1)) + 1 // no overflow at MinInt64
	}
	frac := u % ticksPerSecond
	s := u / ticksPerSecond
	days, h, m, sec := s/86400, s/3600%24, s/60%60, s%60
	if days > 0 {
		fmt.Fprintf(&b, "%d.", days)
	}
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, sec)
	if frac > 0 {
		fmt.Fprintf(&b, ".%07d", frac)
	}
	return b.String()
}

// formatValue renders a value as Azure's results do.
func formatValue(v value) string {
	switch v.typ {
	case TypeDouble:
		return formatNumber(v.num)
	case TypeDoubleVec:
		parts := make([]string, len(v.vec))
		for i, x := range v.vec {
			parts[i] = formatNumber(x)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case TypeString:
		return v.str
	case TypeTimestamp:
		return v.ts.UTC().Format("2006-01-02T15:04:05.000Z")
	case TypeTimeInterval:
		return formatInterval(v.iv)
	}
	return "?"
}
