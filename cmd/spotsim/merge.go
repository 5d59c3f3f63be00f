package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/report"
)

func init() {
	register(&command{
		name:  "merge",
		usage: "DIR... [--out DIR] [--format table|csv|json]",
		short: "combine the shard files of a sweep run with --shard into the outputs of the whole sweep",
		long: `spotsim sweep FILE --shard I/N --out DIR runs only the points K with K mod N = I and
writes them to DIR/shard-I-of-N.json. Once every shard 0..N-1 is done, merge reads the
shard-*-of-*.json files of the folders given (one shared folder, or one per machine),
checks that they are every shard of one sweep, each once (the same scenario, data files,
[sweep], flags and spotsim version: each shard carries the sweep's fingerprint), and
writes sweep.csv, sweep.json, frontier.png (and heatmap.png) to --out and the table to
stdout: the same bytes as the sweep run in one piece. A missing, duplicated or foreign
shard is an error naming it (exit status 2); nothing is written then.`,
		run: mergeCmd,
	})
}

var shardName = regexp.MustCompile(`^shard-([0-9]+)-of-([0-9]+)\.json$`)

func mergeCmd(e *env, args []string) error {
	c := find("merge")
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("out", "", "write sweep.csv, sweep.json, frontier.png (and heatmap.png) to `DIR`")
	format := fs.String("format", "table", "stdout format: table, csv or json")
	dirs, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return badInput(fmt.Errorf("--format %s: want table, csv or json", *format))
	}
	if len(dirs) == 0 {
		return badInput(errors.New("spotsim merge: name the folders holding the shard files (shard-I-of-N.json), for example spotsim merge out/ --out out/"))
	}
	shards, err := readShards(dirs)
	if err != nil {
		return badInput(prefixLines("spotsim merge: ", err))
	}
	return writeMerged(e, "merge", shards, *format, *out)
}

// readShards reads every shard-I-of-N.json of dirs and checks, by their
// names, that each shard of one split is there once; MergeSweep checks
// their content.
func readShards(dirs []string) ([]*report.SweepShard, error) {
	var errs []string
	type found struct {
		path      string
		shard, of int
	}
	var files []found
	for _, d := range dirs {
		ents, err := os.ReadDir(d)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			errs = append(errs, fmt.Sprintf("%s: %v", d, err))
			continue
		}
		for _, en := range ents {
			m := shardName.FindStringSubmatch(en.Name())
			if m == nil || en.IsDir() {
				continue
			}
			i, err1 := strconv.Atoi(m[1])
			n, err2 := strconv.Atoi(m[2])
			if err1 != nil || err2 != nil || n < 1 || n > report.MaxShards || i >= n {
				errs = append(errs, fmt.Sprintf("%s: not a shard name (shard-I-of-N.json with 0 <= I < N <= %d)", filepath.Join(d, en.Name()), report.MaxShards))
				continue
			}
			files = append(files, found{filepath.Join(d, en.Name()), i, n})
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	where := strings.Join(dirs, ", ")
	if len(files) == 0 {
		return nil, fmt.Errorf("no shard files (shard-I-of-N.json, written by spotsim sweep --shard I/N --out DIR) in %s", where)
	}
	sort.SliceStable(files, func(a, b int) bool {
		fa, fb := files[a], files[b]
		if fa.of != fb.of {
			return fa.of < fb.of
		}
		return fa.shard < fb.shard
	})
	n := files[0].of
	for _, f := range files[1:] {
		if f.of != n {
			return nil, fmt.Errorf("shards of different splits: %s is one of %d shards, %s one of %d; merge the shards of one sweep run", files[0].path, n, f.path, f.of)
		}
	}
	byShard := make([]string, n)
	for _, f := range files {
		if byShard[f.shard] != "" {
			errs = append(errs, fmt.Sprintf("shard %d/%d twice: %s and %s", f.shard, n, byShard[f.shard], f.path))
			continue
		}
		byShard[f.shard] = f.path
	}
	for i, p := range byShard {
		if p == "" {
			errs = append(errs, fmt.Sprintf("shard %d/%d missing: no %s in %s", i, n, report.ShardFile(i, n), where))
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	shards := make([]*report.SweepShard, n)
	for i, p := range byShard {
		data, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		s, err := report.ParseSweepShard(data, p)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		if s.Shard != i || s.Shards != n {
			errs = append(errs, fmt.Sprintf("%s: holds shard %d/%d, not what its name says", p, s.Shard, s.Shards))
			continue
		}
		shards[i] = s
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return shards, nil
}
