package price

import (
	"github.com/spotsim/spotsim/model/internal/csvtrace"

	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"time"
)

// TraceOptions control LoadTrace.
type TraceOptions struct {
	// Start is the wall-clock time of simulated time 0, the origin of
	// RFC3339 timestamps. When zero, the first row's timestamp is the
	// origin (and the first row must then be a timestamp if any row is).
	Start time.Time
	// MaxRows and MaxBytes cap the file (DefaultMaxRows and DefaultMaxBytes
	// when 0).
	MaxRows  int
	MaxBytes int64
}

// LoadTrace reads a spot price history in CSV into a step path. The header
// row names two columns, case-insensitively, in either order:
//
//	timestamp  when the price takes effect: an RFC3339 timestamp measured
//	           from opt.Start, seconds ("3600", "-1.5") or a duration
//	           ("1h", "-2d"); "time" is accepted as its name
//	price      the spot price from then on, $ per node-hour (finite, ≥ 0)
//
// Times must strictly increase. A row at or before 0 sets the price at the
// start (the last such row wins: a history that began before the
// simulation); if the first row is after 0, its price also holds from 0.
// Lines starting with '#' and blank lines are skipped. Errors name the file,
// the line and the column ("prices.csv:3: column 2 (price): ..."). The file
// must have at least one row.
func LoadTrace(r io.Reader, name string, opt TraceOptions) (*Path, error) {
	t := csvtrace.New(r, name, opt.MaxRows, opt.MaxBytes)
	cols, err := t.ReadHeader([]string{"timestamp", "price"}, map[string]string{"time": "timestamp"})
	if err != nil {
		return nil, err
	}
	it, okT := cols["timestamp"]
	ip, okP := cols["price"]
	switch {
	case !okT:
		return nil, t.Errorf(t.Line, 0, "missing column timestamp")
	case !okP:
		return nil, t.Errorf(t.Line, 0, "missing column price")
	}
	clk := csvtrace.NewClock(opt.Start)
	times := []time.Duration{0}
	prices := []float64{0}
	rows := 0
	var last time.Duration
	for {
		rec, line, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		at, err := clk.Offset(rec[it])
		if err != nil {
			return nil, t.Errorf(line, it+1, "%v", err)
		}
		if rows > 0 && at <= last {
			return nil, t.Errorf(line, it+1, "the time is not after the previous row's")
		}
		last = at
		p, err := strconv.ParseFloat(rec[ip], 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange):
			return nil, t.Errorf(line, ip+1, "the price is not a number")
		case !(p >= 0) || math.IsInf(p, 0):
			return nil, t.Errorf(line, ip+1, "the price is not a finite price >= 0")
		}
		switch {
		case at <= 0 || rows == 0:
			prices[0] = p // the price at the start
			if at > 0 {
				times, prices = append(times, at), append(prices, p)
			}
		default:
			times, prices = append(times, at), append(prices, p)
		}
		rows++
	}
	if rows == 0 {
		return nil, &ParseError{File: name, Line: t.Line, Msg: "no price rows"}
	}
	return NewPath(times, prices)
}

// WriteCSV writes the path in the format LoadTrace reads (offsets as Go
// durations, prices in shortest exact form): loading it back gives the same
// path.
func (p *Path) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"timestamp", "price"})
	for i, at := range p.times {
		_ = cw.Write([]string{at.String(), strconv.FormatFloat(p.prices[i], 'g', -1, 64)})
	}
	cw.Flush()
	return cw.Error()
}
