package report_test

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/fit"
	"github.com/spotsim/spotsim/report"
)

var fitChartDir = flag.String("fitchart", "", "write the fit charts of TestFitChart into this folder, to look at them")

// TestFitChart: the chart of a censored and of a complete sample decodes
// as a PNG of the documented size, is not blank, is the same bytes twice,
// and differs between the two samples.
func TestFitChart(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var lives, tasks []fit.Obs
	for range 400 {
		// Weibull(0.7, 20h) lifetimes, censored by a uniform observation window of 60 h
		life := time.Duration(20 * float64(time.Hour) * math.Pow(rng.ExpFloat64(), 1/0.7))
		if c := time.Duration(rng.Float64() * 60 * float64(time.Hour)); c < life {
			lives = append(lives, fit.Obs{Value: c, Censored: true})
		} else {
			lives = append(lives, fit.Obs{Value: life})
		}
		tasks = append(tasks, fit.Obs{Value: time.Duration(float64(10*time.Minute) * math.Exp(0.4*rng.NormFloat64()))})
	}
	var pngs [][]byte
	for _, c := range []struct {
		name, what string
		obs        []fit.Obs
	}{{"lifetimes", "node lifetime", lives}, {"durations", "task duration", tasks}} {
		r, err := fit.Fit(c.obs, fit.Options{AllowCensored: true, Bootstrap: 19, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		b, err := report.FitChart(r, c.what)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := report.FitChart(r, c.what)
		if !bytes.Equal(b, again) {
			t.Errorf("%s: two renderings differ", c.name)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds().Size(); got != (image.Point{X: report.ChartWidth, Y: report.ChartHeight}) {
			t.Errorf("%s: size %v", c.name, got)
		}
		if n := colours(img); n < 20 {
			t.Errorf("%s: only %d colours: a blank chart?", c.name, n)
		}
		pngs = append(pngs, b)
		if *fitChartDir != "" {
			if err := os.WriteFile(filepath.Join(*fitChartDir, c.name+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if bytes.Equal(pngs[0], pngs[1]) {
		t.Error("the two charts are the same")
	}
}
