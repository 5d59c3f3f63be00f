package buildinfo_test

import (
	"fmt"
	"testing"

	"github.com/spotsim/spotsim/report/buildinfo"
)

func ExampleInfo_String() {
	in := buildinfo.Info{Module: "github.com/spotsim/spotsim", Version: "(devel)",
		Commit: "5c0d5d4e1a2b3c4d5e6f", Modified: true, Go: "go1.26.8"}
	fmt.Println(in)
	fmt.Println(buildinfo.Info{Version: "v1.2.0"})
	// Output:
	// spotsim (devel) commit 5c0d5d4e1a2b (modified), go1.26.8
	// spotsim v1.2.0
}

// TestKey: the form the sweep fingerprint hashes, which must not change
// (journals and shards of one build must keep matching).
func TestKey(t *testing.T) {
	for _, tt := range []struct {
		in   buildinfo.Info
		want string
	}{
		{buildinfo.Info{}, ""},
		{buildinfo.Info{Module: "m", Version: "(devel)"}, "m (devel)"},
		{buildinfo.Info{Module: "m", Version: "v1", Commit: "abc"}, "m v1 vcs.revision=abc vcs.modified=false"},
		{buildinfo.Info{Module: "m", Version: "v1", Commit: "abc", Modified: true}, "m v1 vcs.revision=abc vcs.modified=true"},
	} {
		if got := tt.in.Key(); got != tt.want {
			t.Errorf("%+v: Key() = %q, want %q", tt.in, got, tt.want)
		}
	}
}
