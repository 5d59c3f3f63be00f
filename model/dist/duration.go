package dist

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses a Go duration string ("90s", "1h30m") that may also
// use "d" for days of 24 hours ("30d", "1d12h", "1.5d"). Negative durations
// are accepted here; callers decide whether they make sense. Text without
// days means exactly what it means to time.ParseDuration.
func ParseDuration(s string) (time.Duration, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	i := strings.IndexByte(s, 'd')
	if i < 0 {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, invalid(in, err)
		}
		return d, nil
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s, i = s[1:], i-1
	}
	d, err := parseDays(s[:i])
	if err != nil {
		return 0, invalid(in, err)
	}
	if rest := s[i+1:]; rest != "" {
		if rest[0] == '-' || rest[0] == '+' {
			return 0, fmt.Errorf("invalid duration %q", in)
		}
		r, err := time.ParseDuration(rest)
		if err != nil {
			return 0, invalid(in, err)
		}
		if r > math.MaxInt64-d {
			return 0, tooLarge(in)
		}
		d += r
	}
	if neg {
		d = -d
	}
	return d, nil
}

// parseDays reads the decimal number of days before the "d": digits with
// an optional fraction, in integers so that every duration up to the
// largest one is exact.
func parseDays(s string) (time.Duration, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole+frac == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, errBadDays
	}
	const day = 24 * time.Hour
	var d time.Duration
	if whole != "" {
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || n > math.MaxInt64/int64(day) {
			return 0, errTooLarge
		}
		d = time.Duration(n) * day
	}
	if frac != "" {
		f, _ := strconv.ParseFloat("0."+frac, 64)
		fd := time.Duration(f * float64(day)) // < one day
		if fd > math.MaxInt64-d {
			return 0, errTooLarge
		}
		d += fd
	}
	return d, nil
}

var (
	errBadDays  = errors.New("bad number of days")
	errTooLarge = errors.New("too large")
)

func invalid(in string, err error) error {
	if err == errTooLarge || strings.Contains(err.Error(), "overflow") {
		return tooLarge(in)
	}
	return fmt.Errorf("invalid duration %q (use a number and a unit: ns, us, ms, s, m, h, d)", in)
}

func tooLarge(in string) error {
	return fmt.Errorf("duration %q is too large (at most about 106751d)", in)
}

// FormatDuration renders d compactly, with days where it has whole ones
// ("36h" -> "1d12h", "10m", "1.5s").
func FormatDuration(d time.Duration) string {
	sign, u := "", uint64(d)
	if d < 0 {
		sign, u = "-", -u // in uint64, so that -MinInt64 does not overflow
	}
	const day = uint64(24 * time.Hour)
	if u >= day {
		days, rest := u/day, time.Duration(u%day)
		if rest == 0 {
			return fmt.Sprintf("%s%dd", sign, days)
		}
		return fmt.Sprintf("%s%dd", sign, days) + trimZero(rest.String())
	}
	if d == 0 {
		return "0s"
	}
	return sign + trimZero(time.Duration(u).String())
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
