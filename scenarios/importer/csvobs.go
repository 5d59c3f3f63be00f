package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/fit"
)

// MaxObservations caps the observations read from one file.
const MaxObservations = 1000000

// readObsCSV reads a CSV whose header names a value column (one of names)
// and optionally a censored column: one observation a row. Values are
// durations ("7h30m", "2d") or seconds; censored is true/false (1/0,
// yes/no; empty is false). Blank lines and # comments are skipped.
func readObsCSV(file string, data []byte, names ...string) ([]fit.Obs, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, errorf(file, "", "empty: want a header row with a %q column", names[0])
	}
	if err != nil {
		return nil, csvErr(file, err)
	}
	line, _ := r.FieldPos(0)
	val, cens := -1, -1
	var cols []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		cols = append(cols, strconv.Quote(h))
		for _, n := range names {
			if h == n && val < 0 {
				val = i
			}
		}
		if h == "censored" && cens < 0 {
			cens = i
		}
	}
	if val < 0 {
		return nil, lineErrorf(file, line, "no %q column in the header (columns: %s)", names[0], strings.Join(cols, ", "))
	}
	colName := strings.TrimSpace(header[val])
	var out []fit.Obs
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(file, err)
		}
		line, _ := r.FieldPos(0)
		if val >= len(rec) {
			return nil, lineErrorf(file, line, "no column %d (%s) in this row", val+1, colName)
		}
		d, err := parseObsDuration(rec[val])
		if err != nil {
			return nil, lineErrorf(file, line, "column %d (%s): %v", val+1, colName, err)
		}
		o := fit.Obs{Value: d}
		if cens >= 0 && cens < len(rec) {
			c := strings.ToLower(strings.TrimSpace(rec[cens]))
			switch c {
			case "", "false", "0", "no", "n", "f":
			case "true", "1", "yes", "y", "t":
				o.Censored = true
			default:
				return nil, lineErrorf(file, line, "column %d (censored): want true or false, got %q", cens+1, clip(rec[cens]))
			}
		}
		if len(out) == MaxObservations {
			return nil, lineErrorf(file, line, "more than %d observations", MaxObservations)
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil, errorf(file, "", "no observations below the header")
	}
	return out, nil
}

func csvErr(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Line, Col: pe.Column, Msg: "CSV: " + pe.Err.Error()}
	}
	return errorf(file, "", "CSV: %v", err)
}

// parseObsDuration reads a duration cell: seconds ("3600", "1.5") or a
// duration ("7h30m", "2d"); it must be >= 0.
func parseObsDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty")
	}
	var d time.Duration
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		if !(x >= 0 && x < 1e11) {
			return 0, fmt.Errorf("%q seconds must be between 0 and 1e11", clip(s))
		}
		d = time.Duration(x * float64(time.Second))
	} else {
		d, err = dist.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("want a duration such as \"7h30m\" or seconds, got %q", clip(s))
		}
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", clip(s))
	}
	return d, nil
}

// looksJSON reports whether data starts (after spaces) like JSON.
func looksJSON(data []byte) bool {
	t := bytes.TrimSpace(data)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}
