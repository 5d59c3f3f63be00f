package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// cell is one number of a report table: its text at the row's precision,
// its exact value, and its key in summary.json ("scenario.cost_usd.mean").
type cell struct {
	Text  string
	Value float64
	Key   string
}

func newCell(key string, v float64, prec int) cell {
	return cell{Text: f(v, prec), Value: v, Key: key}
}

// row is one line of the comparison table.
type row struct {
	Label, Run string // Label is empty on a metric's second (baseline) line
	Cells      []cell // mean, CI low, CI high, p50, p95
}

var statColumns = []string{"mean", "95% CI low", "95% CI high", "p50", "p95"}

func statCells(key string, st Stat, prec int) []cell {
	return []cell{newCell(key+".mean", st.Mean, prec), newCell(key+".ci95_low", st.CI95Low, prec),
		newCell(key+".ci95_high", st.CI95High, prec), newCell(key+".p50", st.P50, prec), newCell(key+".p95", st.P95, prec)}
}

// tableRows returns the comparison table, metric by metric, scenario then
// baseline, as the text table has it.
func (s *Summary) tableRows() []row {
	var rows []row
	for _, m := range metrics {
		if !m.shown(s) {
			continue
		}
		for i, side := range []*Side{&s.Scenario, &s.Baseline} {
			r := row{Label: strings.TrimSpace(m.label), Run: "scenario"}
			if i == 1 {
				r.Label, r.Run = "", "baseline"
			}
			r.Cells = statCells(r.Run+"."+m.key, m.get(side), m.prec)
			rows = append(rows, r)
		}
	}
	return rows
}

// headline is the report's first sentence, as numbers with their keys.
type headline struct {
	Savings, SavingsLo, SavingsHi             cell
	Slowdown, SlowdownLo, SlowdownHi, SlowP95 cell
	Cost, BaseCost, Compl, ComplP95           cell
	BaseCompl, BaseComplP95                   cell
	Pairs                                     int
}

func (s *Summary) headline() headline {
	return headline{
		Savings: newCell("savings_pct.mean", s.SavingsPct.Mean, 1), SavingsLo: newCell("savings_pct.ci95_low", s.SavingsPct.CI95Low, 1),
		SavingsHi: newCell("savings_pct.ci95_high", s.SavingsPct.CI95High, 1),
		Slowdown:  newCell("slowdown_pct.mean", s.SlowdownPct.Mean, 1), SlowdownLo: newCell("slowdown_pct.ci95_low", s.SlowdownPct.CI95Low, 1),
		SlowdownHi: newCell("slowdown_pct.ci95_high", s.SlowdownPct.CI95High, 1), SlowP95: newCell("slowdown_pct.p95", s.SlowdownPct.P95, 1),
		Cost: newCell("scenario.cost_usd.mean", s.Scenario.CostUSD.Mean, 2), BaseCost: newCell("baseline.cost_usd.mean", s.Baseline.CostUSD.Mean, 2),
		Compl:        newCell("scenario.completion_time_hours.mean", s.Scenario.CompletionHours.Mean, 2),
		ComplP95:     newCell("scenario.completion_time_hours.p95", s.Scenario.CompletionHours.P95, 2),
		BaseCompl:    newCell("baseline.completion_time_hours.mean", s.Baseline.CompletionHours.Mean, 2),
		BaseComplP95: newCell("baseline.completion_time_hours.p95", s.Baseline.CompletionHours.P95, 2),
		Pairs:        s.SavingsPct.N,
	}
}

// notes returns the report's warnings, one a line, for every rendering:
// unfinished runs, failing autoscale formulas, quotas that capped resizes.
func (s *Summary) notes() []string {
	var out []string
	sides := []struct {
		name string
		s    *Side
	}{{"scenario", &s.Scenario}, {"baseline", &s.Baseline}}
	for _, side := range sides {
		if side.s.Unfinished > 0 {
			out = append(out, fmt.Sprintf("UNFINISHED: %d %s runs hit the horizon with %s %% of their tasks done on average; they are left out of the statistics.",
				side.s.Unfinished, side.name, f(100*side.s.WorkDoneUnfinished, 1)))
		}
	}
	for _, side := range sides {
		if side.s.AutoscaleFirstError != "" {
			out = append(out, fmt.Sprintf("AUTOSCALE: %s %.1f of %.1f evaluations per run failed (targets left unchanged); first: %s",
				side.name, side.s.AutoscaleFailures.Mean, side.s.AutoscaleEvaluations.Mean, side.s.AutoscaleFirstError))
		}
	}
	if s.Scenario.QuotaCapped.Mean > 0 || s.Baseline.QuotaCapped.Mean > 0 {
		out = append(out, fmt.Sprintf("QUOTA: resizes were capped by the core quotas (dedicated %d, low-priority %d cores; 0 = no limit): %.1f per scenario run, %.1f per baseline run. Set [quotas] to your account's (defaults: Azure Batch's documented 900 / 100).",
			s.Quotas.DedicatedCores, s.Quotas.LowPriorityCores, s.Scenario.QuotaCapped.Mean, s.Baseline.QuotaCapped.Mean))
	}
	return out
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
	fmt.Fprintf(&b, "# spotsim: %s\n\n", mdEscape(s.Name))
	if s.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(s.Description))
	}
	h := s.headline()
	fmt.Fprintf(&b, "Against its dedicated-only baseline, the scenario **saves %s %%** (95 %% CI %s to %s) and **finishes %s %% later** "+
		"(95 %% CI %s to %s, p95 %s %%), paired over %d replications: mean cost $%s against $%s, mean completion %s h (p95 %s h) against %s h (p95 %s h).\n\n",
		h.Savings.Text, h.SavingsLo.Text, h.SavingsHi.Text, h.Slowdown.Text, h.SlowdownLo.Text, h.SlowdownHi.Text, h.SlowP95.Text, h.Pairs,
		h.Cost.Text, h.BaseCost.Text, h.Compl.Text, h.ComplP95.Text, h.BaseCompl.Text, h.BaseComplP95.Text)
	fmt.Fprintf(&b, "%d replications, seed %d; statistics over finished runs (scenario %d, baseline %d).\n\n",
		s.Replications, s.Seed, s.Scenario.Finished, s.Baseline.Finished)
	for _, n := range s.notes() {
		fmt.Fprintf(&b, "> **%s**\n\n", mdEscape(n))
	}
	for _, n := range s.deadlineLines() {
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
	b.WriteString("\n## Prices\n\n| pool | VM size | dedicated $/node-hour | from | low-priority $/node-hour | from |\n|---|---|--:|---|--:|---|\n")
	for _, p := range s.Prices {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdEscape(p.Pool), mdEscape(p.VMSize),
			f(p.Dedicated, 4), mdEscape(p.DedicatedSource), f(p.LowPriority, 4), mdEscape(p.LowPrioritySource))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// exact formats v so that parsing it gives v back (for data-value).
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
