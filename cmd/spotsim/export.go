package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/scenarios/importer"
)

func init() {
	register(&command{
		name:  "export",
		usage: "batch-pool [FILE|NAME] [--pool NAME] [--shape data|arm] [--set PATH=VALUE]... [--out FILE]",
		short: "write a scenario's pool as Azure Batch pool JSON",
		long: `spotsim export batch-pool writes a pool of a scenario (a file, or a built-in by name) as the
JSON of an Azure Batch pool: --shape data (the default) is the data plane's, as az batch pool
show prints it and az batch pool create --json-file takes it; --shape arm is a
Microsoft.Batch/batchAccounts/pools resource for an ARM template. It carries the VM size, the
targets or the autoscale formula and interval, taskSlotsPerNode and nodeFillType: what
spotsim import batch-pool reads back into the same pool. A scenario with several pools needs
--pool NAME; an Azure ML cluster is not a Batch pool.`,
		run: exportCmd,
	})
}

func exportCmd(e *env, args []string) error {
	c := find("export")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		printHelp(e.stdout, c, nil)
		if len(args) == 0 {
			return badInput(errors.New("spotsim export: want batch-pool (see spotsim export --help)"))
		}
		return flag.ErrHelp
	}
	if args[0] != "batch-pool" {
		return badInput(fmt.Errorf("spotsim export: unknown output %q: want batch-pool", args[0]))
	}
	fs := flag.NewFlagSet("export batch-pool", flag.ContinueOnError)
	var sf scenarioFlags
	fs.Var(&sf.sets, "set", "override a scenario key: `PATH=VALUE` (repeatable)")
	pool := fs.String("pool", "", "the pool to export, by name (needed when the scenario has several)")
	shape := fs.String("shape", "data", "data (az batch pool show) or arm (an ARM resource)")
	out := fs.String("out", "", "write to this `FILE` (atomically) instead of standard output")
	pos, err := parse(e, c, fs, args[1:])
	if err != nil {
		return err
	}
	if *shape != "data" && *shape != "arm" {
		return badInput(fmt.Errorf("--shape %s: want data or arm", *shape))
	}
	sc, err := sf.load("export batch-pool", pos, false)
	if err != nil {
		return err
	}
	var p *model.Pool
	var names []string
	for i := range sc.Pools {
		names = append(names, sc.Pools[i].Name)
		if sc.Pools[i].Name == *pool || *pool == "" && len(sc.Pools) == 1 {
			p = &sc.Pools[i]
		}
	}
	if p == nil {
		if *pool == "" {
			return badInput(fmt.Errorf("spotsim export batch-pool: the scenario has %d pools (%s): choose one with --pool NAME", len(names), strings.Join(names, ", ")))
		}
		return badInput(fmt.Errorf("--pool %s: no such pool (pools: %s)", *pool, strings.Join(names, ", ")))
	}
	sh := importer.DataPlane
	if *shape == "arm" {
		sh = importer.ARM
	}
	data, err := importer.ExportPool(*p, sh)
	if err != nil {
		return badInput(err)
	}
	if *out == "" {
		_, err := e.stdout.Write(data)
		return err
	}
	return outfile.Write(*out, data)
}
