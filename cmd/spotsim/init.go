package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/spotsim/spotsim/scenarios"
)

func init() {
	register(&command{
		name:  "init",
		usage: "[NAME] > my.toml",
		short: "print a built-in scenario as a commented starting file",
		long: `Prints the built-in scenario NAME (default: "default"; spotsim scenarios lists them) as a
TOML file to edit: every key of it is commented, and docs/scenario.md documents every key there is.

  spotsim init dynamic-mix > my.toml
  spotsim validate my.toml && spotsim run my.toml --out results/`,
		run: initCmd,
	})
}

func initCmd(e *env, args []string) error {
	c := find("init")
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return badInput(fmt.Errorf("spotsim init: one built-in at a time, got %d (%v)", len(pos), pos))
	}
	name := scenarios.DefaultName
	if len(pos) == 1 {
		name = pos[0]
	}
	src, ok := scenarios.BuiltinSource(name)
	if !ok {
		return badInput(fmt.Errorf("spotsim init: no built-in scenario %q (built-ins: %s)", name, strings.Join(scenarios.BuiltinNames(), ", ")))
	}
	fmt.Fprintf(e.stdout, `# A spotsim scenario, started from the built-in %[1]q (spotsim init %[1]s).
# Edit it, then: spotsim validate FILE && spotsim run FILE --out results/
# docs/scenario.md documents every key; spotsim run FILE --set KEY=VALUE tries a change without editing.

%[2]s`, name, src)
	return nil
}
