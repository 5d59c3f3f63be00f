package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/scenarios"
)

// chromium returns the path of a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium not found (apt-get install chromium, as .ci/run does): skipping the HTML report browser test")
	return ""
}

var (
	verdictRe = regexp.MustCompile(`<p class="verdict" id="verdict" data-rule="[a-z-]+">([^<]+)</p>`)
	statusRe  = regexp.MustCompile(`<p hidden="" id="report-status" data-images="(\d+)">([^<]*)</p>`)
	numRe     = regexp.MustCompile(`data-key="([^"]+)" data-value="([^"]+)"( data-abs="1")?>([^<]*)<`)
)

// TestHTMLInChromium opens report.html in headless Chromium: the page must
// load without script or console errors, every chart must decode, and every
// number it shows (the headline included) must be summary.json's.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	for _, c := range []struct {
		name string
		sets []scenarios.Set
		want []string // numbers the page must show
		refs []string // --reference flags
	}{
		{"small", nil, []string{"savings_pct.mean", "savings_pct.ci95_low", "savings_pct.ci95_high", "slowdown_pct.mean",
			"saved_usd.mean", "scenario.cost_usd.mean", "baseline.cost_usd.mean", "scenario.completion_time_hours.p95"}, nil},
		// some runs unfinished: the p95 is not reached, null in summary.json
		{"censored", []scenarios.Set{{Path: "simulation.horizon", Value: `"2h10m"`}}, []string{"scenario.completion_time_hours.p95", "slowdown_pct.p95"}, nil},
		// none finished: no comparison, the bill at the horizon
		{"nothing", []scenarios.Set{{Path: "simulation.horizon", Value: `"1h"`}}, []string{"scenario.cost_at_horizon_usd_unfinished.mean"}, nil},
		// negative savings: shown as an increase (data-abs)
		{"costs more", []scenarios.Set{{Path: "pools.main.low_priority_price", Value: "0.19"}, {Path: "pools.main.preemption.mean_time_to_preemption", Value: `"5m"`}}, []string{"savings_pct.mean", "saved_usd.mean"}, nil},
		// a reference: its sentence, its what-ran line and its table rows
		// render, every number summary.json's
		{"reference", nil, []string{"savings_vs_reference_pct.mean", "savings_vs_reference_pct.ci95_low", "saved_vs_reference_usd.mean",
			"slowdown_vs_reference_pct.mean", "reference.cost_usd.mean", "reference.completion_time_hours.p95"},
			[]string{"pools.main.target_dedicated_nodes=4", "pools.main.target_low_priority_nodes=0", "name=today"}},
	} {
		t.Run(c.name, func(t *testing.T) { checkHTML(t, bin, c.sets, c.want, c.refs) })
	}
}

func checkHTML(t *testing.T, bin string, sets []scenarios.Set, wantKeys, refs []string) {
	r := runWithReference(t, 2, refs, sets...)
	dir := t.TempDir()
	var page bytes.Buffer
	if err := r.sum.WriteHTML(&page, r.charts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	js, err := r.sum.JSON()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=5000", "--dump-dom", "file://"+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, "CONSOLE") {
			t.Errorf("console output from the page: %s", l)
		}
	}
	dom := stdout.String()
	m := statusRe.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no #report-status in the dumped DOM (did the page's script run?):\n%.2000s", dom)
	}
	if m[2] != "ok" {
		t.Errorf("page status: %s", html.UnescapeString(m[2]))
	}
	if m[1] != strconv.Itoa(len(r.charts)) {
		t.Errorf("page has %s images, want %d", m[1], len(r.charts))
	}
	var sum map[string]any
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, n := range numRe.FindAllStringSubmatch(dom, -1) {
		key, shown, abs := n[1], strings.TrimPrefix(n[4], "≥"), n[3] != ""
		if n[2] == "null" {
			if _, ok := lookup(sum, key); ok || !isNull(sum, key) {
				t.Errorf("%s: the page says unknown, summary.json does not have null", key)
			}
			if shown != "–" && shown != "unfinished" && shown != "not reached" {
				t.Errorf("%s: unknown number shown as %q", key, shown)
			}
			seen[key] = true
			continue
		}
		v, err := strconv.ParseFloat(n[2], 64)
		if err != nil {
			t.Fatalf("%s: data-value %q: %v", key, n[2], err)
		}
		want, ok := lookup(sum, key)
		if !ok {
			t.Errorf("%s: not in summary.json", key)
			continue
		}
		if v != want {
			t.Errorf("%s: page says %v, summary.json %v", key, v, want)
		}
		if abs {
			if want >= 0 {
				t.Errorf("%s: shown as the absolute value of %v, which is not negative", key, want)
			}
			want = -want
		}
		if d := strings.IndexByte(shown, '.'); d < 0 || strconv.FormatFloat(want, 'f', len(shown)-d-1, 64) != shown {
			t.Errorf("%s: shows %q, not summary.json's %v rounded", key, shown, want)
		}
		seen[key] = true
	}
	// the verdict, the assumptions and the glossary (a forwarded page must
	// stand on its own)
	if m := verdictRe.FindStringSubmatch(dom); m == nil || !strings.HasSuffix(m[1], ".") || !strings.Contains(dom, r.sum.Verdict.Text) {
		t.Errorf("no verdict line (want %q)", r.sum.Verdict.Text)
	}
	if n := strings.Count(dom[strings.Index(dom, `id="assumptions"`)+1:], "<li>"); len(r.sum.Assumptions) < 5 || n < len(r.sum.Assumptions) {
		t.Errorf("assumptions: %d in the page, %d in the summary", n, len(r.sum.Assumptions))
	}
	if !strings.Contains(dom, `id="glossary"`) || !strings.Contains(dom, "<dt>dedicated-only baseline</dt>") {
		t.Errorf("no glossary")
	}
	if strings.Contains(t.Name(), "costs") && !strings.Contains(dom, `data-abs="1"`) {
		t.Errorf("negative savings not shown as an increase (no data-abs number)")
	}
	if len(refs) > 0 {
		text := html.UnescapeString(dom)
		for _, want := range []string{`id="reference-sentence"`, `Against the reference "today"`, `Reference "today" (what you run today)`} {
			if !strings.Contains(text, want) {
				t.Errorf("the reference section does not render: no %q", want)
			}
		}
	}
	for _, k := range wantKeys {
		if !seen[k] {
			t.Errorf("headline number %s missing from the page", k)
		}
	}
}

// isNull reports whether a dotted key of decoded JSON is present and null.
func isNull(m map[string]any, key string) bool {
	segs := strings.Split(key, ".")
	var cur any = m
	for _, seg := range segs[:len(segs)-1] {
		mm, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		cur = mm[seg]
	}
	mm, ok := cur.(map[string]any)
	if !ok {
		return false
	}
	v, present := mm[segs[len(segs)-1]]
	return present && v == nil
}

// lookup finds a dotted key in decoded JSON.
func lookup(m map[string]any, key string) (float64, bool) {
	var cur any = m
	for _, seg := range strings.Split(key, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return 0, false
		}
		cur = mm[seg]
	}
	v, ok := cur.(float64)
	return v, ok
}
