package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// metric is one row of the comparison: how to read it from a Side.
type metric struct {
	key   string // CSV/JSON name
	label string // table label, with unit
	get   func(*Side) Stat
	prec  int
	// optional rows are left out of the text and Markdown tables when they
	// are zero on both sides (CSV and JSON keep every row).
	optional bool
}

// shown reports whether m has a row in the human-readable tables.
func (m metric) shown(s *Summary) bool {
	if !m.optional {
		return true
	}
	for _, side := range s.sides() {
		if st := m.get(side.s); nonzero(st.Mean) || nonzero(st.P95) {
			return true
		}
	}
	return false
}

var metrics = []metric{
	{"completion_time_hours", "completion time (h)", func(s *Side) Stat { return s.CompletionHours }, 3, false},
	{"cost_usd", "cost (USD)", func(s *Side) Stat { return s.CostUSD }, 3, false},
	{"cost_dedicated_usd", "  dedicated part (USD)", func(s *Side) Stat { return s.CostDedicated }, 3, false},
	{"cost_low_priority_usd", "  low-priority part (USD)", func(s *Side) Stat { return s.CostLowPriority }, 3, false},
	{"cost_at_horizon_usd_unfinished", "  spent by unfinished runs at the horizon (USD)", func(s *Side) Stat { return s.CostAtHorizonUSD }, 3, true},
	{"cost_disk_usd", "  deallocated disks (USD)", func(s *Side) Stat { return s.CostDisk }, 3, true},
	{"preemptions", "preemptions", func(s *Side) Stat { return s.Preemptions }, 1, false},
	{"eviction_notices", "  eviction notices", func(s *Side) Stat { return s.Notices }, 1, true},
	{"requeued_tasks", "requeued tasks", func(s *Side) Stat { return s.Requeued }, 1, false},
	{"work_lost_core_hours", "work lost (core-h)", func(s *Side) Stat { return s.WorkLostCoreHours }, 2, false},
	{"utilisation", "slot utilisation", func(s *Side) Stat { return s.Utilisation }, 3, false},
	{"tasks_failed", "failed tasks", func(s *Side) Stat { return s.TasksFailed }, 1, true},
	{"retries", "retried attempts", func(s *Side) Stat { return s.Retries }, 1, true},
	{"timeouts", "  timed out", func(s *Side) Stat { return s.Timeouts }, 1, true},
	{"checkpoint_hours", "checkpointing (task-h)", func(s *Side) Stat { return s.CheckpointHours }, 2, true},
	{"restore_hours", "restoring (task-h)", func(s *Side) Stat { return s.RestoreHours }, 2, true},
	{"cancellations", "jobs cancelled (cluster lost)", func(s *Side) Stat { return s.Cancellations }, 1, true},
	{"aborted_jobs", "jobs aborted (error threshold)", func(s *Side) Stat { return s.Aborted }, 1, true},
	{"autoscale_evaluations", "autoscale evaluations", func(s *Side) Stat { return s.AutoscaleEvaluations }, 1, true},
	{"autoscale_failures", "  failed evaluations", func(s *Side) Stat { return s.AutoscaleFailures }, 1, true},
	{"quota_capped", "resizes capped by quota", func(s *Side) Stat { return s.QuotaCapped }, 1, true},
	{"resize_errors", "resizes timed out", func(s *Side) Stat { return s.ResizeErrors }, 1, true},
}

func f(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }

func nonzero(x float64) bool { return x != 0 && !math.IsNaN(x) }

// num formats a number of a report, "–" when it is not known.
func num(x float64, prec int) string {
	if math.IsNaN(x) {
		return "–"
	}
	return f(x, prec)
}

// meanText formats a Stat's mean: "≥ m" when it is a lower bound (some runs
// did not finish), "–" when no run finished.
func meanText(st Stat, prec int) string {
	if st.LowerBound && !math.IsNaN(st.Mean) {
		return "≥" + f(st.Mean, prec)
	}
	return num(st.Mean, prec)
}

// pctText formats a percentile: "unfinished" when it falls among runs that
// hit the horizon (SummarizeCensored).
func pctText(x float64, prec int) string {
	if math.IsNaN(x) {
		return "unfinished"
	}
	return f(x, prec)
}

// statTexts returns a Stat's mean, CI low, CI high, p50 and p95 as a
// report shows them.
func statTexts(st Stat, prec int) []string {
	return []string{meanText(st, prec), num(st.CI95Low, prec), num(st.CI95High, prec), pctText(st.P50, prec), pctText(st.P95, prec)}
}

// WriteText writes the aligned text table.
func (s *Summary) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "spotsim: %s\n", s.Name)
	for _, l := range s.whatRan() {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	fmt.Fprintf(&b, "  Verdict: %s\n", s.Verdict.Text)
	fmt.Fprintf(&b, "  %s\n", s.censoringLine())
	if s.NothingFinished() {
		see := "UNFINISHED"
		if slices.ContainsFunc(s.Notes(), func(n string) bool { return strings.HasPrefix(n, "AUTOSCALE:") }) {
			see += " and AUTOSCALE" // a formula that failed may be why
		}
		fmt.Fprintf(&b, "  NO FINISHED RUNS on one side: its rows below have no numbers; see %s below\n", see)
	}
	b.WriteString("\n")
	rows := [][]string{{"metric", "run", "mean", "95% CI low", "95% CI high", "p50", "p95"}}
	for _, m := range metrics {
		if !m.shown(s) {
			continue
		}
		for i, side := range s.sides() {
			label := m.label
			if i > 0 {
				label = ""
			}
			rows = append(rows, append([]string{label, side.name}, statTexts(m.get(side.s), m.prec)...))
		}
	}
	writeAligned(&b, rows, 2)
	if len(s.Scenario.Jobs) > 1 {
		rows := [][]string{{"job", "run", "finished", "completion (h)", "95% CI", "cost share (USD)", "node-hours"}}
		for i := range s.Scenario.Jobs {
			for k, side := range []*Side{&s.Scenario, &s.Baseline} {
				if i >= len(side.Jobs) {
					continue
				}
				js := side.Jobs[i]
				name, run := js.Name, "scenario"
				if k == 1 {
					name, run = "", "baseline"
				}
				rows = append(rows, []string{name, run, strconv.Itoa(js.Finished), meanText(js.CompletionHours, 3),
					num(js.CompletionHours.CI95Low, 3) + " to " + num(js.CompletionHours.CI95High, 3), num(js.CostShareUSD.Mean, 3), num(js.NodeHours.Mean, 2)})
			}
		}
		b.WriteString("\n")
		writeAligned(&b, rows, 2)
	}
	b.WriteString("\n" + s.headline().sentence(func(c cell, abs bool) string { return c.text(abs) }, func(t string) string { return t }) + "\n")
	if h, ok := s.referenceHeadline(); ok {
		b.WriteString(h.sentence(func(c cell, abs bool) string { return c.text(abs) }, func(t string) string { return t }) + "\n")
	}
	for _, n := range s.notes() {
		b.WriteString(n + "\n")
	}
	for _, n := range s.policyNotes() {
		b.WriteString(n + "\n")
	}
	b.WriteString("\nlow-priority lifetimes, as understood:\n")
	for _, l := range s.Lifetimes {
		fmt.Fprintf(&b, "  pool %s: %s\n", l.Pool, l.Description)
		if l.Market != "" {
			fmt.Fprintf(&b, "  pool %s: also evicted by %s\n", l.Pool, l.Market)
		}
	}
	b.WriteString("\nprices ($ per node-hour):\n")
	for _, p := range s.Prices {
		fmt.Fprintf(&b, "  pool %s, %s: dedicated %s from %s\n", p.Pool, p.VMSize, f(p.Dedicated, 4), p.DedicatedSource)
		fmt.Fprintf(&b, "  pool %s, %s: low-priority %s from %s\n", p.Pool, p.VMSize, f(p.LowPriority, 4), p.LowPrioritySource)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// JSON returns summary.json's content (indented, stable).
func (s *Summary) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// CSV returns summary.csv's content: one row per (run, metric), then the
// paired savings and slowdown rows.
func (s *Summary) CSV() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	row := func(run, key string, st Stat) {
		w.Write([]string{run, key, strconv.Itoa(st.N), strconv.Itoa(st.Unfinished), g(st.Mean), g(st.SD), g(st.CI95Low),
			g(st.CI95High), strconv.FormatBool(st.LowerBound), g(st.P50), g(st.P95)})
	}
	w.Write([]string{"run", "metric", "n", "unfinished", "mean", "sd", "ci95_low", "ci95_high", "mean_is_lower_bound", "p50", "p95"})
	for _, run := range s.sides() {
		for _, m := range metrics {
			row(run.name, m.key, m.get(run.s))
		}
	}
	row("paired", "savings_pct", s.SavingsPct)
	row("paired", "slowdown_pct", s.SlowdownPct)
	if s.Reference != nil {
		row("paired_reference", "savings_pct", *s.SavingsVsReference)
		row("paired_reference", "saved_usd", *s.SavedVsReference)
		row("paired_reference", "slowdown_pct", *s.SlowdownVsReference)
	}
	s.deadlineRows(row)
	w.Flush()
	return b.Bytes(), w.Error()
}

// writeAligned writes rows as columns: the first left columns aligned left,
// the rest (numbers) aligned right.
func writeAligned(b *bytes.Buffer, rows [][]string, left int) {
	alignColumns(b, rows, func(col int) bool { return col < left })
}

// g formats a number for CSV: an empty cell when it is not known, never 0.
func g(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}
