package main

import (
	"flag"
	"fmt"

	"github.com/spotsim/spotsim/report/buildinfo"
)

func init() {
	register(&command{
		name:  "version",
		usage: "",
		short: "print spotsim's version, commit and Go version (also spotsim --version)",
		run: func(e *env, args []string) error {
			fs := flag.NewFlagSet("version", flag.ContinueOnError)
			pos, err := parse(e, find("version"), fs, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInput(fmt.Errorf("spotsim version: takes no arguments"))
			}
			fmt.Fprintln(e.stdout, buildinfo.Read())
			return nil
		},
	})
}
