package importer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// parseTime parses the timestamps Azure writes: RFC 3339 with up to 7
// fractional digits ("2026-03-02T10:15:00.1234567Z"); one without a zone
// is UTC, as Azure's are.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q (want RFC 3339, such as 2026-03-02T10:15:00Z)", clip(s))
}

// unlimited is the largest duration Azure writes for "no limit"
// (maxWallClockTime P10675199DT2H48M5.4775807S is time.Duration's maximum).
const unlimited = time.Duration(math.MaxInt64)

// ParseISODuration parses an ISO 8601 duration of days, hours, minutes and
// seconds, as Azure writes intervals and timeouts ("PT15M", "P1DT2H",
// "PT0.5S", "P2W"), or the H:MM:SS form the Azure CLI prints ("0:15:00",
// "1 day, 2:00:00"). Years and months, whose length varies, are refused.
// A value beyond time.Duration's range is the largest duration (Azure
// writes that for "unlimited").
func ParseISODuration(s string) (time.Duration, error) {
	in := s
	if d, ok := parseClock(s); ok {
		return d, nil
	}
	bad := func(why string) error {
		return fmt.Errorf("invalid ISO 8601 duration %q (%s; want such as PT15M or P1DT2H)", clip(in), why)
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, bad("it starts with P and gives a number and a unit")
	}
	s = s[1:]
	total, inTime, any := 0.0, false, false
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return 0, bad("two T separators")
			}
			inTime, s = true, s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, bad("a number needs a unit after it")
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil {
			return 0, bad("bad number")
		}
		var unit float64
		switch u := s[i]; {
		case u == 'W' && !inTime:
			unit = 7 * 24 * 3600
		case u == 'D' && !inTime:
			unit = 24 * 3600
		case u == 'H' && inTime:
			unit = 3600
		case u == 'M' && inTime:
			unit = 60
		case u == 'S' && inTime:
			unit = 1
		case (u == 'Y' || u == 'M') && !inTime:
			return 0, bad("years and months have no fixed length")
		default:
			return 0, bad(fmt.Sprintf("unit %q out of place", string(u)))
		}
		total += x * unit
		any = true
		s = s[i+1:]
	}
	if !any {
		return 0, bad("no value")
	}
	if total*1e9 >= math.MaxInt64 {
		return unlimited, nil
	}
	return time.Duration(math.Round(total * 1e9)), nil
}

// parseClock reads the "[D day[s], ]H:MM:SS[.ffffff]" form in which the
// Azure CLI prints the data plane's durations ("0:15:00", "1 day, 2:00:00").
func parseClock(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	var days int64
	if d, rest, ok := strings.Cut(s, ","); ok {
		f := strings.Fields(d)
		if len(f) != 2 || (f[1] != "day" && f[1] != "days") {
			return 0, false
		}
		n, err := strconv.ParseInt(f[0], 10, 32)
		if err != nil || n < 0 {
			return 0, false
		}
		days, s = n, strings.TrimSpace(rest)
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, false
	}
	h, err1 := strconv.ParseUint(parts[0], 10, 16)
	m, err2 := strconv.ParseUint(parts[1], 10, 8)
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || m > 59 || !(sec >= 0 && sec < 60) || len(parts[1]) != 2 {
		return 0, false
	}
	total := float64(days)*86400 + float64(h)*3600 + float64(m)*60 + sec
	return time.Duration(math.Round(total * 1e9)), true
}

// FormatISODuration writes d as ISO 8601 (PT15M, PT1H30M, P2DT3H).
func FormatISODuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("P")
	day := 24 * time.Hour
	if d >= day {
		fmt.Fprintf(&b, "%dD", d/day)
		d %= day
	}
	if d > 0 {
		b.WriteString("T")
		if h := d / time.Hour; h > 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m := d % time.Hour / time.Minute; m > 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s := d % time.Minute; s > 0 {
			b.WriteString(strconv.FormatFloat(s.Seconds(), 'f', -1, 64) + "S")
		}
	}
	return b.String()
}
