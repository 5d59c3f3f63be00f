package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/model"
)

// cell is one number of a report table: its text at the row's precision,
// its exact value, and its key in summary.json ("scenario.cost_usd.mean").
type cell struct {
	Text  string
	Value float64
	Key   string
}

func newCell(key string, v float64, prec int) cell {
	return cell{Text: num(v, prec), Value: v, Key: key}
}

// text is the cell's text, of its absolute value when abs is set (the
// words around it then say the sign).
func (c cell) text(abs bool) string {
	if abs && c.Value < 0 {
		return strings.TrimPrefix(c.Text, "-")
	}
	return c.Text
}

// AbsText is text(true), for the HTML template.
func (c cell) AbsText() string { return c.text(true) }

// row is one line of the comparison table.
type row struct {
	Label, Run string // Label is empty on a metric's second (baseline) line
	Cells      []cell // mean, CI low, CI high, p50, p95
}

var statColumns = []string{"mean", "95% CI low", "95% CI high", "p50", "p95"}

func statCells(key string, st Stat, prec int) []cell {
	t := statTexts(st, prec)
	return []cell{{t[0], st.Mean, key + ".mean"}, {t[1], st.CI95Low, key + ".ci95_low"},
		{t[2], st.CI95High, key + ".ci95_high"}, {t[3], st.P50, key + ".p50"}, {t[4], st.P95, key + ".p95"}}
}

// meanCell is a Stat's mean as the headline shows it (≥ for a lower bound).
func meanCell(key string, st Stat, prec int) cell {
	return cell{Text: meanText(st, prec), Value: st.Mean, Key: key + ".mean"}
}

// reachedCell is a percentile as the headline shows it: "not reached" when
// it falls among unfinished runs.
func reachedCell(key string, v float64, prec int) cell {
	c := newCell(key, v, prec)
	if math.IsNaN(v) {
		c.Text = "not reached"
	}
	return c
}

// tableRows returns the comparison table, metric by metric, scenario then
// baseline, as the text table has it.
func (s *Summary) tableRows() []row {
	var rows []row
	for _, m := range metrics {
		if !m.shown(s) {
			continue
		}
		for i, side := range s.sides() {
			r := row{Label: strings.TrimSpace(m.label), Run: side.name}
			if i > 0 {
				r.Label = ""
			}
			r.Cells = statCells(side.name+"."+m.key, m.get(side.s), m.prec)
			rows = append(rows, r)
		}
	}
	return rows
}

// whatRan says what was simulated, one sentence a line: the generated
// configuration, the overrides, and the file's own description (which
// predates the overrides, and says so when there are some).
func (s *Summary) whatRan() []string {
	out := []string{"Simulated: " + s.Configuration + "."}
	if len(s.Overrides) > 0 {
		out = append(out, "Overrides: --set "+strings.Join(s.Overrides, " --set ")+".")
	}
	if s.Description != "" {
		if len(s.Overrides) > 0 {
			out = append(out, "The file describes it, before the overrides, as: "+s.Description)
		} else {
			out = append(out, "The file describes it as: "+s.Description)
		}
	}
	return append(out, s.referenceLines()...)
}

// line is the run's build, date and command line in one sentence.
func (r *RunInfo) line() string {
	return fmt.Sprintf("Run by %s on %s: %s", r.Version, r.Date, r.CommandLine)
}

// NothingFinished reports whether the scenario or its baseline has no
// finished replication: there is then no comparison (spotsim run exits 3).
func (s *Summary) NothingFinished() bool { return s.Scenario.Finished == 0 || s.Baseline.Finished == 0 }

// censoringLine says what the statistics are over.
func (s *Summary) censoringLine() string {
	line := fmt.Sprintf("%d replications, seed %d; finished: scenario %d of %d, baseline %d of %d",
		s.Replications, s.Seed, s.Scenario.Finished, s.Replications, s.Baseline.Finished, s.Replications)
	if r := s.Reference; r != nil {
		line += fmt.Sprintf(", reference %d of %d", r.Finished, s.Replications)
	}
	if s.Scenario.Unfinished == 0 && s.Baseline.Unfinished == 0 && (s.Reference == nil || s.Reference.Unfinished == 0) {
		return line + "."
	}
	return line + fmt.Sprintf(". Runs that hit the %s h horizon are censored, not dropped: means are over finished runs (≥: a lower bound), percentiles over all runs (\"unfinished\": it falls among runs that hit the horizon).", f(s.HorizonHours, 2))
}

// headline is the report's first sentence, as numbers with their keys.
type headline struct {
	Against                                   string // "its dedicated-only baseline"
	Savings, SavingsLo, SavingsHi             cell
	Slowdown, SlowdownLo, SlowdownHi, SlowP95 cell
	Saved, SavedLo, SavedHi                   cell
	Cost, BaseCost, Compl, ComplP95           cell
	BaseCompl, BaseComplP95                   cell
	CostAtHorizon, WorkDone                   cell
	Pairs                                     int
	Left                                      int // pairs censored: a side did not finish
	// None is set when the scenario or the baseline has no finished run;
	// NoneSide names it.
	None     bool
	NoneSide string
	Horizon  string
}

func (s *Summary) headline() headline {
	return s.headlineAgainst("its dedicated-only baseline", "baseline", &s.Baseline,
		Comparison{s.SavingsPct, s.SavedUSD, s.SlowdownPct}, [3]string{"savings_pct", "saved_usd", "slowdown_pct"})
}

// headlineAgainst is the headline of the scenario against another setup:
// against says it in words, name is its summary.json key, other its
// statistics, c the paired comparison and keys the summary.json keys of
// c's savings, dollars saved and slowdown.
func (s *Summary) headlineAgainst(against, name string, other *Side, c Comparison, keys [3]string) headline {
	h := headline{
		Against: against,
		Savings: newCell(keys[0]+".mean", c.SavingsPct.Mean, 1), SavingsLo: newCell(keys[0]+".ci95_low", c.SavingsPct.CI95Low, 1),
		SavingsHi: newCell(keys[0]+".ci95_high", c.SavingsPct.CI95High, 1),
		Slowdown:  meanCell(keys[2], c.SlowdownPct, 1), SlowdownLo: newCell(keys[2]+".ci95_low", c.SlowdownPct.CI95Low, 1),
		SlowdownHi: newCell(keys[2]+".ci95_high", c.SlowdownPct.CI95High, 1), SlowP95: reachedCell(keys[2]+".p95", c.SlowdownPct.P95, 1),
		Saved: newCell(keys[1]+".mean", c.SavedUSD.Mean, 2), SavedLo: newCell(keys[1]+".ci95_low", c.SavedUSD.CI95Low, 2),
		SavedHi: newCell(keys[1]+".ci95_high", c.SavedUSD.CI95High, 2),
		Cost:    meanCell("scenario.cost_usd", s.Scenario.CostUSD, 2), BaseCost: meanCell(name+".cost_usd", other.CostUSD, 2),
		Compl:        meanCell("scenario.completion_time_hours", s.Scenario.CompletionHours, 2),
		ComplP95:     reachedCell("scenario.completion_time_hours.p95", s.Scenario.CompletionHours.P95, 2),
		BaseCompl:    meanCell(name+".completion_time_hours", other.CompletionHours, 2),
		BaseComplP95: reachedCell(name+".completion_time_hours.p95", other.CompletionHours.P95, 2),
		Pairs:        c.SavingsPct.N,
		Left:         c.SavingsPct.Unfinished,
		None:         s.Scenario.Finished == 0 || other.Finished == 0,
		Horizon:      f(s.HorizonHours, 2),
	}
	side := &s.Scenario
	h.NoneSide = "the scenario"
	if s.Scenario.Finished > 0 {
		side, h.NoneSide = other, against
	}
	sideKey := "scenario"
	if side != &s.Scenario {
		sideKey = name
	}
	h.CostAtHorizon = newCell(sideKey+".cost_at_horizon_usd_unfinished.mean", side.CostAtHorizonUSD.Mean, 2)
	h.WorkDone = newCell("", 100*side.WorkDoneUnfinished, 1) // a percentage of work_done_share_unfinished
	return h
}

// sentence writes the headline: n renders a number (abs: its absolute
// value, the words around it giving the sign), bold a phrase. Markdown and
// HTML both call it, so they say the same thing.
func (h headline) sentence(n func(c cell, abs bool) string, bold func(string) string) string {
	if h.None {
		return fmt.Sprintf("No comparison: no replication of %s finished within the %s h horizon. By then its runs had spent $%s on average and done %s %% of their tasks.",
			h.NoneSide, h.Horizon, n(h.CostAtHorizon, false), n(h.WorkDone, false))
	}
	// signed says v as "X %" (the verb says the direction) or "X % down".
	signed := func(v cell, down string) string {
		if v.Value < 0 {
			return n(v, true) + " % " + down
		}
		return n(v, true) + " %"
	}
	interval := func(lo, hi cell, up, down string) string { return intervalText(n, lo, hi, up, down) }
	hours := func(c cell) string {
		if math.IsNaN(c.Value) {
			return n(c, false) // "not reached"
		}
		return n(c, false) + " h"
	}
	save := "saves " + n(h.Savings, true) + " %"
	if h.Savings.Value < 0 {
		save = "costs " + n(h.Savings, true) + " % more"
	}
	finish := "finishes " + n(h.Slowdown, true) + " % later"
	if h.Slowdown.Value < 0 {
		finish = "finishes " + n(h.Slowdown, true) + " % earlier"
	}
	saved := "$" + n(h.Saved, true) + " saved a run"
	if h.Saved.Value < 0 {
		saved = "$" + n(h.Saved, true) + " more a run"
	}
	p95 := "p95 " + signed(h.SlowP95, "earlier")
	if math.IsNaN(h.SlowP95.Value) {
		p95 = "p95 not reached"
	}
	return fmt.Sprintf("Against %s, the scenario %s (95 %% CI %s) and %s (95 %% CI %s, %s), paired %s: "+
		"mean cost $%s against $%s (%s, 95 %% CI %s), mean completion %s h (p95 %s) against %s h (p95 %s).",
		h.Against, bold(save), interval(h.SavingsLo, h.SavingsHi, "less", "more"),
		bold(finish), interval(h.SlowdownLo, h.SlowdownHi, "later", "earlier"), p95, pairsText(h.Pairs, h.Left),
		n(h.Cost, false), n(h.BaseCost, false), saved, "$"+intervalUSD(n, h.SavedLo, h.SavedHi),
		n(h.Compl, false), hours(h.ComplP95), n(h.BaseCompl, false), hours(h.BaseComplP95))
}

// pairsText says what a paired mean is over: "over 20 replications", or,
// when pairs did not finish on both sides, "over the 12 replications both
// finished (8 more censored: a side did not finish; the percentiles count
// them)". Every rendering of a paired comparison says it so.
func pairsText(finished, unfinished int) string {
	if unfinished == 0 {
		return fmt.Sprintf("over %d replications", finished)
	}
	return fmt.Sprintf("over the %d replications both finished (%d more censored: a side did not finish; the percentiles count them)", finished, unfinished)
}

// intervalText says an interval of percentages signed by words: "11.8 to
// 18.6 %", "184.6 to 244.8 % more", or across 0 "3.0 % more to 5.0 % less".
func intervalText(n func(cell, bool) string, lo, hi cell, up, down string) string {
	switch {
	case lo.Value >= 0:
		return n(lo, false) + " to " + n(hi, false) + " %"
	case hi.Value <= 0:
		return n(hi, true) + " to " + n(lo, true) + " % " + down
	}
	return n(lo, true) + " % " + down + " to " + n(hi, false) + " % " + up
}

// intervalUSD says an interval of dollars saved: "1.10 to 1.22 saved",
// "0.50 to 0.70 more" or "0.20 more to 0.30 saved".
func intervalUSD(n func(cell, bool) string, lo, hi cell) string {
	switch {
	case lo.Value >= 0:
		return n(lo, true) + " to " + n(hi, true) + " saved"
	case hi.Value <= 0:
		return n(hi, true) + " to " + n(lo, true) + " more"
	}
	return n(lo, true) + " more to $" + n(hi, true) + " saved"
}

// notes returns the report's warnings, one a line, for every rendering:
// unfinished runs, failing autoscale formulas, quotas that capped resizes.
func (s *Summary) notes() []string {
	var out []string
	sides := s.sides()
	for _, side := range sides {
		if side.s.Unfinished > 0 {
			out = append(out, fmt.Sprintf("UNFINISHED: %d of %d %s runs hit the %s h horizon with %s %% of their tasks done on average; they are censored there, not dropped: percentiles falling among them read \"unfinished\" (not reached), means over the finished runs are lower bounds (≥) where they can be.",
				side.s.Unfinished, s.Replications, side.name, f(s.HorizonHours, 2), f(100*side.s.WorkDoneUnfinished, 1)))
		}
	}
	for _, side := range sides {
		if side.s.AutoscaleFirstError != "" {
			out = append(out, fmt.Sprintf("AUTOSCALE: %s %.1f of %.1f evaluations per run failed (targets left unchanged); first: %s",
				side.name, side.s.AutoscaleFailures.Mean, side.s.AutoscaleEvaluations.Mean, side.s.AutoscaleFirstError))
		}
	}
	capped := false
	for _, q := range s.Quotas.Fits {
		out = append(out, q.Note())
		capped = capped || q.Capped
	}
	if !capped && (s.Scenario.QuotaCapped.Mean > 0 || s.Baseline.QuotaCapped.Mean > 0) {
		out = append(out, fmt.Sprintf("QUOTA: resizes were capped by the core quotas set in [quotas] (dedicated %s, low-priority %s): %.1f per scenario run, %.1f per baseline run.",
			quotaText(s.Quotas.DedicatedCores), quotaText(s.Quotas.LowPriorityCores), s.Scenario.QuotaCapped.Mean, s.Baseline.QuotaCapped.Mean))
	}
	return out
}

// QuotaNotes returns the quota sentences of sc's reports (a target capped
// by a quota the scenario set, or over Azure's default for one it did not),
// for spotsim validate.
func QuotaNotes(sc *model.Scenario) []string {
	var out []string
	for _, q := range quotasOf(sc, nil).Fits {
		out = append(out, q.note("will run as", "will run"))
	}
	return out
}

// quotaText says a quota of summary.json: "100 cores", "no limit".
func quotaText(q *int) string {
	if q == nil || *q == 0 {
		return "no limit"
	}
	return strconv.Itoa(*q) + " cores"
}

// RanAs says what a capped target ran as: "ran as 25 low-priority nodes
// (capped by the low-priority quota)". Every rendering of a capped run
// says it so.
func (q QuotaFit) RanAs() string { return q.ranAs("ran as") }

func (q QuotaFit) ranAs(verb string) string {
	return fmt.Sprintf("%s %d %s nodes (capped by the %s quota)", verb, q.AllowedNodes, q.Kind, q.Kind)
}

// Note is the report's sentence about a target that does not fit a quota.
func (q QuotaFit) Note() string { return q.note("ran as", "ran") }

func (q QuotaFit) note(ranAs, ran string) string {
	if q.Capped {
		return fmt.Sprintf("QUOTA: pool %s %s: it asks for %d %s nodes (%d cores) and [quotas] sets the %s quota to %d cores. Its dedicated-only baseline %s the same nodes, all dedicated.",
			q.Pool, q.ranAs(ranAs), q.AskedNodes, q.Kind, q.AskedCores, q.Kind, q.QuotaCores, ran)
	}
	asks := fmt.Sprintf("asks for %d %s nodes (%d cores)", q.AskedNodes, q.Kind, q.AskedCores)
	switch {
	case q.FromRuns:
		asks = fmt.Sprintf("asked for up to %d %s nodes (%s: %d cores)", q.AskedNodes, q.Kind, q.Most, q.AskedCores)
	case q.Most != "":
		asks = fmt.Sprintf("may ask for up to %d %s nodes (%s: %d cores)", q.AskedNodes, q.Kind, q.Most, q.AskedCores)
	}
	return fmt.Sprintf("QUOTA WARNING: pool %s %s, more than %s, %d cores, which would allow %d nodes. "+
		"Simulated as asked, since [quotas] does not set it: check your quota (or ask for an increase), or set [quotas] %s_cores to simulate the cap.",
		q.Pool, asks, q.DefaultOf, q.QuotaCores, q.AllowedNodes, strings.ReplaceAll(q.Kind, "-", "_"))
}

// mdEscape escapes text for a Markdown table cell or paragraph.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "\n", " ")
	return r.Replace(s)
}

// WriteMarkdown writes the report as Markdown: the headline, the table, any
// warnings, the charts (linked by file name, beside report.md) and the
// prices. charts may be nil (stdout has no charts).
func (s *Summary) WriteMarkdown(w io.Writer, charts []Chart) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# spotsim: %s\n\n**Verdict: %s**\n\n", mdEscape(s.Name), mdEscape(s.Verdict.Text))
	for _, l := range s.whatRan() {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(l))
	}
	if s.Run != nil {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(s.Run.line()))
	}
	b.WriteString(s.headline().sentence(func(c cell, abs bool) string { return c.text(abs) }, func(t string) string { return "**" + t + "**" }))
	if h, ok := s.referenceHeadline(); ok {
		b.WriteString("\n\n" + h.sentence(func(c cell, abs bool) string { return c.text(abs) }, func(t string) string { return "**" + t + "**" }))
	}
	b.WriteString("\n\n" + mdEscape(s.censoringLine()) + "\n\n")
	for _, n := range s.notes() {
		fmt.Fprintf(&b, "> **%s**\n\n", mdEscape(n))
	}
	for _, n := range s.policyNotes() {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(n))
	}
	b.WriteString("| metric | run | " + strings.Join(statColumns, " | ") + " |\n")
	b.WriteString("|---|---|" + strings.Repeat("--:|", len(statColumns)) + "\n")
	for _, r := range s.tableRows() {
		fmt.Fprintf(&b, "| %s | %s |", mdEscape(r.Label), r.Run)
		for _, c := range r.Cells {
			fmt.Fprintf(&b, " %s |", c.Text)
		}
		b.WriteString("\n")
	}
	if len(charts) > 0 {
		b.WriteString("\n## Charts\n")
		for _, c := range charts {
			fmt.Fprintf(&b, "\n### %s\n\n![%s](%s)\n", mdEscape(c.Title), mdEscape(c.Title), c.Name)
		}
	}
	b.WriteString("\n## Low-priority lifetimes, as understood\n\n| pool | lifetime model | also evicted by |\n|---|---|---|\n")
	for _, l := range s.Lifetimes {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdEscape(l.Pool), mdEscape(l.Description), mdEscape(l.Market))
	}
	b.WriteString("\n## Assumptions\n\n")
	for _, a := range s.Assumptions {
		fmt.Fprintf(&b, "- %s\n", mdEscape(a))
	}
	b.WriteString("\n## Glossary\n\n")
	for _, g := range Glossary {
		fmt.Fprintf(&b, "- **%s**: %s\n", mdEscape(g[0]), mdEscape(g[1]))
	}
	b.WriteString("\n## Prices\n\n| pool | VM size | dedicated $/node-hour | from | low-priority $/node-hour | from |\n|---|---|--:|---|--:|---|\n")
	for _, p := range s.Prices {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdEscape(p.Pool), mdEscape(p.VMSize),
			f(p.Dedicated, 4), mdEscape(p.DedicatedSource), f(p.LowPriority, 4), mdEscape(p.LowPrioritySource))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// exact formats v so that parsing it gives v back (for data-value).
// exact formats v so that parsing it gives v back (for data-value); "null"
// when it is not known, as summary.json has it.
func exact(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
