// Command spotsim simulates batch work on pools of dedicated and
// low-priority (spot) nodes and reports completion time and cost against a
// dedicated-only run of the same work.
//
// Usage:
//
//	spotsim run [FILE|NAME] [--reps N] [--seed N] [--workers N] [--set PATH=VALUE]... [--out DIR]
//	spotsim validate FILE|NAME
//	spotsim scenarios
//	spotsim fit lifetimes|durations FILE [--out DIR]
//
// Exit status: 0 on success, 2 for bad input (a scenario, a flag), 1 when a
// run fails for another reason (an output folder that cannot be written).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

// command is one verb of the CLI; its help is data.
type command struct {
	name  string
	usage string // one line: the arguments
	short string // one line: what it does
	long  string // paragraphs shown by --help
	run   func(env *env, args []string) error
}

// env is what a command may touch, so tests can run commands in-process.
type env struct {
	stdin          io.Reader // a scenario or formula given as "-"
	stdout, stderr io.Writer
	stderrIsTTY    bool
	// clock gives the date the human reports print (nil: the wall clock).
	clock func() time.Time
}

// now is the date reports print.
func (e *env) now() time.Time {
	if e.clock != nil {
		return e.clock()
	}
	return time.Now()
}

// usageError marks bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badInput(err error) error { return usageError{err} }

// noComparison is a run in which no replication of the scenario or of its
// baseline finished before the horizon: exit status 3. The outputs are
// still written and printed (they say so and give the bill at the horizon).
type noComparison struct{ err error }

func (e noComparison) Error() string { return e.err.Error() }

var commands []*command

func register(c *command) { commands = append(commands, c) }

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, stderrIsTTY: isTerminal(os.Stderr)}
	stop := profile(e)
	code := runMain(e, os.Args[1:])
	stop()
	os.Exit(code)
}

// profile writes a CPU profile of the whole command to the file named by
// SPOTSIM_CPUPROFILE, when it is set (see README, Performance).
func profile(e *env) (stop func()) {
	path := os.Getenv("SPOTSIM_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "spotsim: SPOTSIM_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// runMain runs the CLI and returns the exit status.
func runMain(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if c := find(args[1]); c != nil {
				printHelp(e.stdout, c, nil)
				return 0
			}
		}
		mainHelp(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = []string{"version"}
	}
	c := find(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "spotsim: unknown command %q (commands: %s; see spotsim --help)\n", args[0], names())
		return 2
	}
	err := c.run(e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintln(e.stderr, err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	var nc noComparison
	if errors.As(err, &nc) {
		return 3
	}
	return 1
}

func find(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func names() string {
	var n []string
	for _, c := range ordered() {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}

// order is the order a newcomer needs the commands in: simulate first,
// then check and start scenarios, bring data, then the tools around them.
// Commands not listed follow in the order they registered.
var order = []string{"run", "sweep", "validate", "scenarios", "init", "import", "export", "fit",
	"policy", "advise", "merge", "formula", "completion", "version"}

// ordered returns the commands in help order.
func ordered() []*command {
	rank := func(c *command) int {
		if i := slices.Index(order, c.name); i >= 0 {
			return i
		}
		return len(order)
	}
	out := slices.Clone(commands)
	slices.SortStableFunc(out, func(a, b *command) int { return rank(a) - rank(b) })
	return out
}

func mainHelp(w io.Writer) {
	fmt.Fprintln(w, "spotsim simulates batch work on pools of dedicated and low-priority (spot) nodes")
	fmt.Fprintln(w, "and reports completion time and cost against a dedicated-only run of the same work.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range ordered() {
		fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace("spotsim "+c.name+" "+c.usage), c.short)
	}
	fmt.Fprintln(w, "\nspotsim COMMAND --help tells more; spotsim --version names the build.")
	fmt.Fprintln(w, "Exit status: 0 ok, 2 bad input, 1 failed run (see the README for the others).")
}

func printHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace("spotsim "+c.name+" "+c.usage), c.short)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.long))
	}
	if fs != nil {
		printFlags(w, fs)
	}
}

// printFlags lists a command's flags as they are typed, --name TYPE, with
// their help and default: "--workers int", "--set PATH=VALUE".
func printFlags(w io.Writer, fs *flag.FlagSet) {
	var rows [][2]string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		typ, usage := flag.UnquoteUsage(f)
		switch typ {
		case "value":
			typ = "VALUE"
		case "float":
			typ = "number"
		}
		name := "--" + f.Name
		if typ != "" {
			name += " " + typ
		}
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "[]" {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		rows = append(rows, [2]string{name, usage})
		width = max(width, len(name))
	})
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
	}
}

// parse parses flags that may come before or after positional arguments
// ("spotsim run my.toml --reps 500" works). After "--" everything is
// positional.
func parse(e *env, c *command, fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printHelp(e.stdout, c, fs)
				return nil, err
			}
			return nil, badInput(fmt.Errorf("spotsim %s: %v (see spotsim %s --help)", c.name, err, c.name))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
