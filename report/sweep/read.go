package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var shardName = regexp.MustCompile(`^shard-([0-9]+)-of-([0-9]+)\.json$`)

// ReadShards reads every shard-I-of-N.json of dirs and checks, by their
// names, that each shard of one split is there once; Merge checks their
// content. Every problem found is reported, one per line.
func ReadShards(dirs []string) ([]*Shard, error) {
	var errs problems
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
			errs.add("%s: %v", d, err)
			continue
		}
		for _, en := range ents {
			m := shardName.FindStringSubmatch(en.Name())
			if m == nil || en.IsDir() {
				continue
			}
			i, err1 := strconv.Atoi(m[1])
			n, err2 := strconv.Atoi(m[2])
			if err1 != nil || err2 != nil || n < 1 || n > MaxShards || i >= n {
				errs.add("%s: not a shard name (shard-I-of-N.json with 0 <= I < N <= %d)", filepath.Join(d, en.Name()), MaxShards)
				continue
			}
			files = append(files, found{filepath.Join(d, en.Name()), i, n})
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
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
			errs.add("shard %d/%d twice: %s and %s", f.shard, n, byShard[f.shard], f.path)
			continue
		}
		byShard[f.shard] = f.path
	}
	for i, p := range byShard {
		if p == "" {
			errs.add("shard %d/%d missing: no %s in %s", i, n, ShardFile(i, n), where)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	shards := make([]*Shard, n)
	for i, p := range byShard {
		data, err := os.ReadFile(p)
		if err != nil {
			errs.add("%v", err)
			continue
		}
		s, err := ParseShard(data, p)
		if err != nil {
			errs.add("%s: %v", p, err)
			continue
		}
		if s.Shard != i || s.Shards != n {
			errs.add("%s: holds shard %d/%d, not what its name says", p, s.Shard, s.Shards)
			continue
		}
		shards[i] = s
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return shards, nil
}
