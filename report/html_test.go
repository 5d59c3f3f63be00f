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
	statusRe = regexp.MustCompile(`<p hidden="" id="report-status" data-images="(\d+)">([^<]*)</p>`)
	numRe    = regexp.MustCompile(`data-key="([^"]+)" data-value="([^"]+)">([^<]*)<`)
)

// TestHTMLInChromium opens report.html in headless Chromium: the page must
// load without script or console errors, every chart must decode, and every
// number it shows (the headline included) must be summary.json's.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	r := runScenario(t, 2)
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
		key, shown := n[1], n[3]
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
		if d := strings.IndexByte(shown, '.'); d < 0 || strconv.FormatFloat(want, 'f', len(shown)-d-1, 64) != shown {
			t.Errorf("%s: shows %q, not summary.json's %v rounded", key, shown, want)
		}
		seen[key] = true
	}
	for _, k := range []string{"savings_pct.mean", "savings_pct.ci95_low", "savings_pct.ci95_high", "slowdown_pct.mean",
		"scenario.cost_usd.mean", "baseline.cost_usd.mean", "scenario.completion_time_hours.p95"} {
		if !seen[k] {
			t.Errorf("headline number %s missing from the page", k)
		}
	}
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
