package dist

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses a Go duration string ("90s", "1h30m") that may also
// use "d" for days of 24 hours ("30d", "1d12h"). Negative durations are
// accepted here; callers decide whether they make sense.
func ParseDuration(s string) (time.Duration, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	var days float64
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || i == 0 || math.IsInf(v, 0) || math.IsNaN(v) || v < 0 {
			return 0, fmt.Errorf("invalid duration %q", in)
		}
		days = v
		s = s[i+1:]
	}
	var rest time.Duration
	if s != "" {
		if s[0] == '-' || s[0] == '+' {
			return 0, fmt.Errorf("invalid duration %q", in)
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q (use a number and a unit: ns, us, ms, s, m, h, d)", in)
		}
		rest = v
	}
	total := days*24*float64(time.Hour) + float64(rest)
	if total >= math.MaxInt64 {
		return 0, fmt.Errorf("duration %q is too large (at most about 106751d)", in)
	}
	d := time.Duration(days*24*float64(time.Hour)) + rest
	if neg {
		d = -d
	}
	return d, nil
}

// FormatDuration renders d compactly, with days where it has whole ones
// ("36h" -> "1d12h", "10m", "1.5s").
func FormatDuration(d time.Duration) string {
	if d < 0 {
		return "-" + FormatDuration(-d)
	}
	day := 24 * time.Hour
	if d >= day {
		days := d / day
		rest := d % day
		if rest == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd", days) + trimZero(rest.String())
	}
	if d == 0 {
		return "0s"
	}
	return trimZero(d.String())
}

// trimZero drops "0s" and "0m" tails that time.Duration.String leaves ("1h0m0s" -> "1h").
func trimZero(s string) string {
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
