package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/spotsim/spotsim/report/sweep"
)

func init() {
	register(&command{
		name:  "merge",
		usage: "DIR... [--out DIR] [--format table|csv|json|md]",
		short: "combine the shard files of a sweep run with --shard into the outputs of the whole sweep",
		long: `spotsim sweep FILE --shard I/N --out DIR runs only the points K with K mod N = I and
writes them to DIR/shard-I-of-N.json. Once every shard 0..N-1 is done, merge reads the
shard-*-of-*.json files of the folders given (one shared folder, or one per machine),
checks that they are every shard of one sweep, each once (the same scenario, data files,
[sweep], flags and spotsim version: each shard carries the sweep's fingerprint), and
writes sweep.csv, sweep.json, report.md, report.html, frontier.png (and heatmap.png) to --out and the table to
stdout: the same bytes as the sweep run in one piece. A missing, duplicated or foreign
shard is an error naming it (exit status 2); nothing is written then.`,
		run: mergeCmd,
	})
}

func mergeCmd(e *env, args []string) error {
	c := find("merge")
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("out", "", "write sweep.csv, sweep.json, report.md, report.html, frontier.png (and heatmap.png) to `DIR`")
	format := fs.String("format", "table", "stdout format: table, csv, json or md")
	dirs, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "csv", "json", "md":
	default:
		return badInput(fmt.Errorf("--format %s: want table, csv, json or md", *format))
	}
	if len(dirs) == 0 {
		return badInput(errors.New("spotsim merge: name the folders holding the shard files (shard-I-of-N.json), for example spotsim merge out/ --out out/"))
	}
	shards, err := sweep.ReadShards(dirs)
	if err != nil {
		return badInput(prefixLines("spotsim merge: ", err))
	}
	return writeMerged(e, "merge", args, shards, *format, *out)
}
