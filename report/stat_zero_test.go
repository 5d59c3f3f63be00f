package report_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/report"
)

// TestNoNegativeZero: a statistic over values that are negative zeros
// (100·(1 − 1) computed as −(0) along some path, say) prints as 0 in JSON,
// never -0.
func TestNoNegativeZero(t *testing.T) {
	nz := math.Copysign(0, -1)
	for _, xs := range [][]float64{{nz}, {nz, nz, nz}, {nz, 0}} {
		b, err := json.Marshal(report.Summarize(xs))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "-0") {
			t.Errorf("%v: %s", xs, b)
		}
	}
}
