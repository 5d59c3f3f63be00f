package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/fit"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/scenarios/importer"
)

func init() {
	register(&command{
		name:  "fit",
		usage: "lifetimes|durations FILE [--out DIR] [--bootstrap N] [--seed N]",
		short: "fit lifetime or task-duration models to observed data and print the one to paste",
		long: `spotsim fit lifetimes FILE fits node lifetimes; FILE is what spotsim import --evictions takes:
an activity log (az monitor activity-log list JSON: each VM's start paired with its
preempt/action, lives still going at the end censored) or a CSV with a lifetime column
(seconds or durations such as 7h30m) and an optional censored column (true for a node still
alive when observation ended).

spotsim fit durations FILE fits task run times; FILE is what spotsim import --tasks takes:
az batch task list JSON, Batch diagnostic log lines (TaskCompleteEvent), or a CSV with a
duration column and an optional censored column.

Exponential, Weibull and log-normal models are fitted by maximum likelihood, censored values
counting as "at least this long", and ranked by AIC. Each parameter has a 95 % interval
(Wald, from the observed information, on the log scale). Goodness of fit is the
Kolmogorov-Smirnov distance to the empirical CDF (Kaplan-Meier when censored), with a
parametric-bootstrap p-value (--bootstrap samples, refitted each time; censoring redrawn from
the observed censoring pattern). The best model is printed as the TOML to paste into a
scenario. --out DIR writes fit-lifetimes.png or fit-durations.png: the empirical CDF against
each fit.

Bad input (an unreadable file, a bad line, data that cannot be fitted) exits 2 with one line
naming the file and the line or JSON path.`,
		run: fitCmd,
	})
}

// fitKinds are the two things spotsim fit fits: how each is read, named
// and pasted.
var fitKinds = map[string]struct {
	read  func(path string) ([]fit.Obs, error)
	what  string // for the chart and the summary
	paste func(m *fit.Model) string
}{
	"lifetimes": {importer.ReadLifetimes, "node lifetime", pasteLifetime},
	"durations": {importer.ReadDurations, "task duration", func(m *fit.Model) string {
		return "in the job (or any delay):\n  duration = " + m.TOML()
	}},
}

// maxBootstrap bounds --bootstrap: 10,000 samples resolve p to 10⁻⁴, and
// each refits three models.
const maxBootstrap = 10000

func fitCmd(e *env, args []string) error {
	c := find("fit")
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		printHelp(e.stdout, c, nil)
		return flag.ErrHelp
	}
	if len(args) == 0 {
		return badInput(errors.New("spotsim fit: want lifetimes or durations, then a file (see spotsim fit --help)"))
	}
	kind, ok := fitKinds[args[0]]
	if !ok {
		return badInput(fmt.Errorf("spotsim fit: want lifetimes or durations, not %q (see spotsim fit --help)", args[0]))
	}
	fs := flag.NewFlagSet("fit "+args[0], flag.ContinueOnError)
	out := fs.String("out", "", "write the chart of the fits into `DIR`")
	boot := fs.Int("bootstrap", fit.DefaultBootstrap, "bootstrap samples for the goodness-of-fit p-values (0: skip the test)")
	seed := fs.Uint64("seed", 1, "seed of the bootstrap")
	pos, err := parse(e, c, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInput(fmt.Errorf("spotsim fit %s: name one file", args[0]))
	}
	if *boot < 0 || *boot > maxBootstrap {
		return badInput(fmt.Errorf("spotsim fit %s: --bootstrap must be between 0 and %d, got %d", args[0], maxBootstrap, *boot))
	}
	file := pos[0]
	obs, err := kind.read(file)
	if err != nil {
		return badInput(err)
	}
	b := *boot
	if b == 0 {
		b = -1 // fit.Options: negative skips the test
	}
	r, err := fit.Fit(obs, fit.Options{AllowCensored: true, Bootstrap: b, Seed: *seed})
	if err != nil {
		return badInput(fmt.Errorf("%s: %v", file, err))
	}
	var files []outfile.File
	chart := "fit-" + args[0] + ".png"
	if *out != "" {
		png, err := report.FitChart(r, kind.what)
		if err != nil {
			return err
		}
		files = append(files, outfile.File{Name: chart, Data: png})
	}
	writeFit(e.stdout, file, kind.what, r, kind.paste)
	if *out != "" {
		if err := outfile.WriteAll(*out, files); err != nil {
			return fmt.Errorf("spotsim fit: %v", err)
		}
		fmt.Fprintf(e.stdout, "\nwrote %s\n", chart)
	}
	return nil
}

// writeFit prints the ranked fits, the goodness of fit and the model to
// paste.
func writeFit(w io.Writer, file, what string, r *fit.Report, paste func(*fit.Model) string) {
	first, last := r.KM[0].Time, r.KM[len(r.KM)-1].Time
	est := "empirical CDF"
	if r.Censored > 0 {
		est = "Kaplan-Meier"
	}
	fmt.Fprintf(w, "%s: %d %ss (%d censored), %s to %s; compared with the %s\n\n",
		file, r.N, what, r.Censored, dist.FormatDuration(shortDuration(first)), dist.FormatDuration(shortDuration(last)), est)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tAIC\tΔAIC\tweight\tKS\tp\t\tparameters with 95 % intervals")
	for i := range r.Models {
		m := &r.Models[i]
		var ps []string
		for _, p := range m.Params {
			ps = append(ps, p.String())
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.3f\t%.3f\t%s\t\t%s\n", m.Family, m.AIC, m.DeltaAIC, m.Weight, m.KS, pValue(m.P), strings.Join(ps, ", "))
	}
	tw.Flush()
	for _, f := range r.Failed {
		fmt.Fprintf(w, "not fitted: %s\n", f)
	}
	best := r.Best()
	fmt.Fprintf(w, "\nbest by AIC: %s", best.Family)
	if len(r.Models) > 1 {
		fmt.Fprintf(w, " (ΔAIC %.1f to the next)", r.Models[1].DeltaAIC)
		if r.Models[1].DeltaAIC < 2 {
			fmt.Fprintf(w, "; within 2 of the best, %s is about as well supported (more data would tell them apart)", r.Models[1].Family)
		}
	}
	fmt.Fprintln(w)
	if !math.IsNaN(best.P) {
		verdict := "no evidence against it"
		if best.P < 0.05 {
			verdict = "REJECTED at 5 %: none of the three families describes these data well; use it with care"
		}
		fmt.Fprintf(w, "goodness of fit: KS %.3f, p %s (parametric bootstrap, %d samples): %s\n", best.KS, pValue(best.P), best.Bootstrap, verdict)
	}
	fmt.Fprintf(w, "\npaste %s\n", paste(best))
}

// shortDuration rounds an observed value for the summary line: to the
// second from a minute on, else to the millisecond.
func shortDuration(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

func pValue(p float64) string {
	if math.IsNaN(p) {
		return "-"
	}
	return fmt.Sprintf("%.3f", p)
}

// pasteLifetime renders a fitted lifetime as the pool's [pools.preemption]
// key.
func pasteLifetime(m *fit.Model) string {
	return "in the pool:\n  [pools.preemption]\n  lifetime = " + m.TOML()
}
