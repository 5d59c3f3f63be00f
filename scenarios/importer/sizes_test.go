package importer

import "testing"

func TestSizeNames(t *testing.T) {
	for _, c := range []struct {
		size, family string
		cores        int
	}{
		{"Standard_D4s_v5", "standardDSv5Family", 4},
		{"standard_d4s_v5", "standardDSv5Family", 4}, // as az batch pool show prints it
		{"STANDARD_DS3_v2", "standardDSv2Family", 4},
		{"Standard_D4ads_v5", "standardDADSv5Family", 4},
		{"Standard_F4s_v2", "standardFSv2Family", 4},
		{"Standard_E8-4s_v5", "standardESv5Family", 4},
		{"Standard_D13_v2", "standardDv2Family", 8},
		{"Standard_NC24ads_A100_v4", "standardNCADSA100v4Family", 24},
	} {
		if f := vmFamily(c.size); f != c.family {
			t.Errorf("vmFamily(%s) = %s, want %s", c.size, f, c.family)
		}
		if n, ok := SizeCores(c.size); !ok || n != c.cores {
			t.Errorf("SizeCores(%s) = %d, %v; want %d", c.size, n, ok, c.cores)
		}
	}
}
