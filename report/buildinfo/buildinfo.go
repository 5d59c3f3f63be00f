// Package buildinfo names the spotsim build that is running: its module
// version and, when go build stamped them, its commit and whether the work
// tree was modified. Reports print it, and sweep fingerprints include it so
// records of different builds never mix.
package buildinfo

import (
	"runtime/debug"
	"strconv"
	"strings"
)

// Info is what the Go toolchain stamped into the binary.
type Info struct {
	Module   string // module path, e.g. github.com/spotsim/spotsim
	Version  string // module version, "(devel)" for a build from a work tree
	Commit   string // vcs.revision, "" when not stamped (go run, tests)
	Modified bool   // vcs.modified: built from a tree with uncommitted changes
	Go       string // Go version that built it
}

// Read returns the running binary's build information (zero fields when
// the binary carries none).
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{}
	}
	in := Info{Module: bi.Main.Path, Version: bi.Main.Version, Go: bi.GoVersion}
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			in.Commit = kv.Value
		case "vcs.modified":
			in.Modified = kv.Value == "true"
		}
	}
	return in
}

// String is the build in one line for people: "spotsim (devel) commit
// 5c0d5d4e1a2b (modified), go1.26.8".
func (in Info) String() string {
	var b strings.Builder
	b.WriteString("spotsim ")
	if in.Version == "" {
		b.WriteString("(unknown version)")
	} else {
		b.WriteString(in.Version)
	}
	if in.Commit != "" {
		c := in.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		b.WriteString(" commit " + c)
		if in.Modified {
			b.WriteString(" (modified)")
		}
	}
	if in.Go != "" {
		b.WriteString(", " + in.Go)
	}
	return b.String()
}

// Key is the build in the form sweep fingerprints hash: module path and
// version, then the commit and modified flag as stamped. Another commit may
// simulate differently, so records of different keys must not mix.
func (in Info) Key() string {
	if in.Module == "" && in.Version == "" {
		return ""
	}
	s := in.Module + " " + in.Version
	if in.Commit != "" {
		s += " vcs.revision=" + in.Commit
	}
	if in.Commit != "" || in.Modified {
		s += " vcs.modified=" + strconv.FormatBool(in.Modified)
	}
	return s
}
