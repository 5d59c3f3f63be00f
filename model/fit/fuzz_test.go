package fit_test

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/fit"
)

// FuzzFit feeds the fitter arbitrary observations (9 bytes each: a value
// in nanoseconds, possibly negative or huge, and a censored flag). It must
// never panic, and what it accepts must be a ranked report of valid models.
func FuzzFit(f *testing.F) {
	enc := func(vals ...int64) []byte {
		var b []byte
		for i, v := range vals {
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
			b = append(b, byte(i%3/2))
		}
		return b
	}
	f.Add(enc(int64(time.Hour), int64(2*time.Hour), int64(30*time.Minute), int64(5*time.Hour)))
	f.Add(enc(1, 2, 3, math.MaxInt64, math.MaxInt64-1))
	f.Add(enc(1, 1, 1, 1, 2))
	f.Add(enc(0, 0, 5, -7))
	f.Add(enc(1, math.MaxInt64, 1, math.MaxInt64))
	f.Fuzz(func(t *testing.T, data []byte) {
		var obs []fit.Obs
		for len(data) >= 9 && len(obs) < 500 {
			obs = append(obs, fit.Obs{Value: time.Duration(binary.LittleEndian.Uint64(data)), Censored: data[8]&1 == 1})
			data = data[9:]
		}
		r, err := fit.Fit(obs, fit.Options{AllowCensored: true, Bootstrap: 3})
		if err != nil {
			return
		}
		for i, m := range r.Models {
			if err := m.Dist.Validate(); err != nil {
				t.Fatalf("%s: %v", m.Family, err)
			}
			if i > 0 && m.AIC < r.Models[i-1].AIC {
				t.Fatalf("models not ranked by AIC: %v after %v", m.AIC, r.Models[i-1].AIC)
			}
			for _, p := range m.Params {
				if !(p.Lo <= p.Value && p.Value <= p.Hi) {
					t.Fatalf("%s: %s outside its interval", m.Family, p)
				}
			}
			_ = m.TOML()
		}
	})
}
