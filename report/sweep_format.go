package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSON returns sweep.json's content: the axes, one record per point in
// index order, the frontier and the recommendation.
func (s *Sweep) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func optional(p *float64) string {
	if p == nil {
		return ""
	}
	return g(*p)
}

// CSV returns sweep.csv's content: one row per point, the swept values
// (one column per axis, named by its path) then the statistics.
func (s *Sweep) CSV() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"index"}
	for _, a := range s.Axes {
		head = append(head, a.Path)
	}
	head = append(head, "replications", "finished", "unfinished",
		"completion_mean_h", "completion_ci95_low_h", "completion_ci95_high_h", "completion_p95_h", "completion_at_percentile_h",
		"cost_mean_usd", "cost_ci95_low_usd", "cost_ci95_high_usd", "cost_p95_usd",
		"baseline_completion_mean_h", "baseline_cost_mean_usd",
		"savings_mean_pct", "savings_ci95_low_pct", "savings_ci95_high_pct",
		"slowdown_mean_pct", "slowdown_p95_pct", "meets_deadline_share", "on_frontier", "recommended")
	if s.Reference != nil {
		for _, k := range []string{"savings_vs_reference_%s_pct", "saved_vs_reference_%s_usd", "slowdown_vs_reference_%s_pct"} {
			for _, what := range []string{"mean", "ci95_low", "ci95_high", "p95"} {
				head = append(head, fmt.Sprintf(k, what))
			}
		}
		head = append(head, "reference_pairs_finished", "reference_pairs_unfinished")
	}
	w.Write(head)
	rec := -1
	if s.Recommendation != nil && s.Recommendation.Index != nil {
		rec = *s.Recommendation.Index
	}
	for _, p := range s.Results {
		row := []string{strconv.Itoa(p.Index)}
		row = append(row, p.Values...)
		c, k, sv, sl := p.CompletionHours, p.CostUSD, p.SavingsPct, p.SlowdownPct
		row = append(row, strconv.Itoa(p.Replications), strconv.Itoa(p.Finished), strconv.Itoa(p.Unfinished),
			g(c.Mean), g(c.CI95Low), g(c.CI95High), g(c.P95), optional(p.CompletionAtPercentile),
			g(k.Mean), g(k.CI95Low), g(k.CI95High), g(k.P95),
			g(p.BaselineCompletionHours.Mean), g(p.BaselineCostUSD.Mean),
			g(sv.Mean), g(sv.CI95Low), g(sv.CI95High), g(sl.Mean), g(sl.P95),
			optional(p.MeetsDeadline), strconv.FormatBool(p.OnFrontier), strconv.FormatBool(p.Index == rec))
		if s.Reference != nil {
			for _, st := range []*Stat{p.SavingsVsReferencePct, p.SavedVsReferenceUSD, p.SlowdownVsReferencePct} {
				if st == nil {
					row = append(row, "", "", "", "")
					continue
				}
				row = append(row, g(st.Mean), g(st.CI95Low), g(st.CI95High), g(st.P95))
			}
			if st := p.SavingsVsReferencePct; st != nil {
				row = append(row, strconv.Itoa(st.N), strconv.Itoa(st.Unfinished))
			} else {
				row = append(row, "", "")
			}
		}
		w.Write(row)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// sweepTable is the table of points every rendering of a sweep shows: a
// header, one row per point, and which columns are text (left-aligned).
type sweepTable struct {
	head []string
	rows [][]string
	left func(col int) bool
}

// table builds the sweep's table. Unknown numbers read "–", a mean over the
// finished runs of a point some of whose runs did not finish reads "≥",
// negative savings read as an increase, and a point a quota capped says so.
func (s *Sweep) table() sweepTable {
	pct := pctName(s.Percentile)
	head := []string{"#"}
	for i := range s.Axes {
		head = append(head, s.AxisLabel(i))
	}
	nAxes := len(head)
	head = append(head, "completion mean (h)", "completion "+pct+" (h)", "cost mean ($)", "cost 95% CI ($)", "savings", "slowdown (%)")
	if s.Reference != nil {
		head = append(head, "savings vs reference (95% CI)", "slowdown vs reference (%, 95% CI)")
	}
	if s.DeadlineHours > 0 {
		head = append(head, "meets "+g4(s.DeadlineHours)+" h")
	}
	jobDeadlines := false
	for _, p := range s.Results {
		jobDeadlines = jobDeadlines || p.JobDeadline != nil
	}
	if jobDeadlines {
		head = append(head, "job deadline met (95% CI)")
	}
	head = append(head, "frontier")
	var rows [][]string
	rec := -1
	if s.Recommendation != nil && s.Recommendation.Index != nil {
		rec = *s.Recommendation.Index
	}
	for _, p := range s.Results {
		r := []string{strconv.Itoa(p.Index)}
		for _, v := range p.Values {
			r = append(r, Display(v))
		}
		at := "not reached"
		if p.CompletionAtPercentile != nil {
			at = f(*p.CompletionAtPercentile, 2)
		}
		if p.Finished == 0 {
			r = append(r, "none finished", at, "–", "–", "–", "–")
		} else {
			r = append(r, meanText(p.CompletionHours, 2), at, meanText(p.CostUSD, 2),
				num(p.CostUSD.CI95Low, 2)+" to "+num(p.CostUSD.CI95High, 2), overPairs(p.SavingsPct, savingsText(p.SavingsPct.Mean)), overPairs(p.SlowdownPct, meanText(p.SlowdownPct, 1)))
		}
		if s.Reference != nil {
			sv, sl := vsReference(&p)
			r = append(r, sv, sl)
		}
		if s.DeadlineHours > 0 {
			r = append(r, f(100*p.DeadlineShare(), 1)+" %")
		}
		if jd := p.JobDeadline; jd != nil {
			r = append(r, fmt.Sprintf("%s %% by %s h (%s to %s)", f(100*jd.Share, 1), g4(jd.DeadlineHours), f(100*jd.ShareLow, 1), f(100*jd.ShareHigh, 1)))
		} else if jobDeadlines {
			r = append(r, "–")
		}
		var mark []string
		if p.OnFrontier {
			mark = append(mark, "*")
		}
		if p.Index == rec {
			mark = append(mark, "recommended")
		}
		if p.Unfinished > 0 {
			mark = append(mark, fmt.Sprintf("%d of %d unfinished", p.Unfinished, p.Replications))
		}
		switch {
		case len(p.RanAs) > 0:
			mark = append(mark, strings.Join(p.RanAs, "; "))
		case p.QuotaCapped:
			mark = append(mark, "resizes capped by a quota")
		}
		r = append(r, strings.Replace(strings.Join(mark, "; "), "*; ", "* ", 1))
		rows = append(rows, r)
	}
	last := len(head) - 1
	return sweepTable{head: head, rows: rows, left: func(i int) bool { return i < nAxes || i == last }}
}

// savingsText is a mean saving as a person reads it: "74.6 %", or "214.0 %
// more" for a point that costs more than its baseline; "–" unknown.
func savingsText(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case x < 0:
		return f(-x, 1) + " % more"
	}
	return f(x, 1) + " %"
}

// overPairs labels a paired mean shown as text when some pairs did not
// finish on both sides: "56.2 % (12 finished pairs)", the pairs its mean is
// over (the others are censored: pairsText).
func overPairs(st Stat, text string) string {
	if st.Unfinished == 0 || text == "–" {
		return text
	}
	return fmt.Sprintf("%s (%d finished pairs)", text, st.N)
}

// notesByText groups the points' notes: each distinct note once, with the
// points it applies to ("points 12, 13, 14").
func (s *Sweep) notesByText() []string {
	var order []string
	at := map[string][]string{}
	for _, p := range s.Results {
		for _, n := range p.Notes {
			if _, ok := at[n]; !ok {
				order = append(order, n)
			}
			at[n] = append(at[n], strconv.Itoa(p.Index))
		}
	}
	out := make([]string, len(order))
	for i, n := range order {
		who := "point " + at[n][0]
		if len(at[n]) > 1 {
			who = "points " + strings.Join(at[n], ", ")
		}
		out[i] = who + ": " + n
	}
	return out
}

// frontierLine says what the table's * means.
func (s *Sweep) frontierLine() string {
	return fmt.Sprintf("* on the Pareto front of mean cost against %s completion time (no other point is as cheap and as fast): %d of %d points",
		pctName(s.Percentile), len(s.Frontier), len(s.Results))
}

// recommendationText is the recommendation, or how to get one.
func (s *Sweep) recommendationText() string {
	if s.Recommendation != nil {
		return s.Recommendation.Text
	}
	return "no deadline given: add deadline = \"6h\" (and percentile = 95) to [sweep], or --deadline 6h, for a recommendation"
}

// WriteText writes the sweep as an aligned table, then the frontier and the
// recommendation.
func (s *Sweep) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "spotsim sweep: %s\n", s.Name)
	if s.Description != "" {
		fmt.Fprintf(&b, "  %s\n", s.Description)
	}
	fmt.Fprintf(&b, "  %d points, seed %d, the same random numbers for every point; each point against its own dedicated-only baseline%s\n", s.Points, s.Seed, s.againstReference())
	if l := s.referenceLine(); l != "" {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	for i, a := range s.Axes {
		if l := s.AxisLabel(i); l != a.Path {
			fmt.Fprintf(&b, "  %s = %s\n", l, a.Path)
		}
	}
	b.WriteString("\n")
	t := s.table()
	alignColumns(&b, append([][]string{t.head}, t.rows...), t.left)
	fmt.Fprintf(&b, "\n%s\n", s.frontierLine())
	for _, n := range s.notesByText() {
		fmt.Fprintf(&b, "%s\n", n)
	}
	fmt.Fprintf(&b, "\n%s\n", s.recommendationText())
	_, err := w.Write(b.Bytes())
	return err
}

// alignColumns writes rows as columns, left-aligned where left says so and
// right-aligned (numbers) elsewhere.
func alignColumns(b *bytes.Buffer, rows [][]string, left func(col int) bool) {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if left(i) {
				line.WriteString(c + pad)
			} else {
				line.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}
