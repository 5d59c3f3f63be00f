package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/scenarios"
)

func init() {
	register(&command{
		name:  "formula",
		usage: "check FILE|- | eval FILE|- [--var '$Name=VALUE']... [--now TIME]",
		short: "check or evaluate an Azure Batch autoscale formula",
		long: `spotsim formula check FILE parses and type-checks the formula in FILE (- reads standard
input). It prints nothing and exits 0 when the formula is valid; otherwise it prints one
FILE:LINE:COL: message line per problem and exits 2.

spotsim formula eval FILE evaluates the formula once and prints every service-defined
variable it assigned, one "$Name = value" a line, sorted by name. --var '$Name=VALUE'
(repeatable) sets a variable: a sampled one ($PendingTasks, $CPUPercent, ...) reads as a
constant history of that value with enough samples for any GetSample call; unset variables
take the values of an empty, idle pool (0, and $TaskSlotsPerNode = 1). --now sets the
evaluation time (RFC 3339; default 2025-01-06T00:00:00Z, a Monday). A failed evaluation
(for example too few samples for a GetSample percentage) exits 1. The language is
described in docs/autoscale.md.`,
		run: formulaCmd,
	})
}

func formulaCmd(e *env, args []string) error {
	c := find("formula")
	if len(args) == 0 || (args[0] != "check" && args[0] != "eval") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			printHelp(e.stdout, c, nil)
			return flag.ErrHelp
		}
		return badInput(errors.New("spotsim formula: want check or eval (see spotsim formula --help)"))
	}
	verb := args[0]
	fs := flag.NewFlagSet("formula "+verb, flag.ContinueOnError)
	var vars multiFlag
	now := fs.String("now", scenarios.DefaultStart.Format(time.RFC3339), "evaluation time, RFC 3339")
	if verb == "eval" {
		fs.Var(&vars, "var", "set a variable: `$Name=VALUE` (repeatable)")
	}
	pos, err := parse(e, c, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInput(fmt.Errorf("spotsim formula %s: name one formula file, or - for standard input", verb))
	}
	name, src, err := readFormula(pos[0])
	if err != nil {
		return badInput(fmt.Errorf("%s: %v", pos[0], err))
	}
	f, err := autoscale.Parse(name, src)
	if err != nil {
		var list autoscale.ErrorList
		if errors.As(err, &list) {
			lines := make([]string, len(list))
			for i, le := range list {
				lines[i] = le.Error()
			}
			return badInput(errors.New(strings.Join(lines, "\n")))
		}
		return badInput(err)
	}
	if verb == "check" {
		return nil
	}
	at, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		return badInput(fmt.Errorf("--now %s: want a time such as 2025-01-06T08:00:00Z", *now))
	}
	values := map[string]float64{}
	for _, v := range vars {
		n, val, ok := strings.Cut(v, "=")
		n = strings.TrimSpace(n)
		sv, known := autoscale.LookupVar(n)
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		switch {
		case !ok:
			return badInput(fmt.Errorf("--var %s: want $Name=VALUE", v))
		case !known:
			return badInput(fmt.Errorf("--var %s: %s is not a service-defined variable (see docs/autoscale.md)", v, n))
		case err != nil || x != x || x > 1e300 || x < -1e300:
			return badInput(fmt.Errorf("--var %s: want a finite number", v))
		case sv.Kind == autoscale.VarOption:
			return badInput(fmt.Errorf("--var %s: %s is an output, not an input", v, n))
		}
		values[sv.Canonical()] = x
	}
	res, err := f.Eval(autoscale.ConstEnv(at, values))
	if err != nil {
		return fmt.Errorf("evaluation failed: %v", err)
	}
	// Canonical names, as Azure reports them; for a target set under both
	// its name and its alias, the value in force (the full name's).
	assigned := map[string]string{}
	for _, a := range res.Assigned {
		sv, ok := autoscale.LookupVar(a.Name)
		if !ok {
			continue // a user variable
		}
		switch name := sv.Canonical(); name {
		case "$TargetDedicatedNodes":
			assigned[name] = strconv.FormatFloat(res.TargetDedicatedNodes, 'g', -1, 64)
		case "$TargetLowPriorityNodes":
			assigned[name] = strconv.FormatFloat(res.TargetLowPriorityNodes, 'g', -1, 64)
		default:
			assigned[name] = a.Value
		}
	}
	names := make([]string, 0, len(assigned))
	for n := range assigned {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(e.stdout, "%s = %s\n", n, assigned[n])
	}
	return nil
}

// readFormula reads a formula file, or standard input for "-".
func readFormula(arg string) (name, src string, err error) {
	var data []byte
	if arg == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
		name = "<stdin>"
	} else {
		var st os.FileInfo
		if st, err = os.Stat(arg); err == nil && st.Size() > 1<<20 {
			return "", "", fmt.Errorf("file is %d bytes; a formula is at most 8 KB", st.Size())
		}
		data, err = os.ReadFile(arg)
		name = arg
	}
	if err != nil {
		return "", "", err
	}
	return name, string(data), nil
}
