package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var sweepOutputs = []string{"sweep.csv", "sweep.json", "report.md", "report.html", "frontier.png", "heatmap.png"}

// sameOutputs fails unless dirs a and b hold the same sweep outputs, byte
// for byte (but for the date and command line of the reports).
func sameOutputs(t *testing.T, what, a, b string) {
	t.Helper()
	for _, name := range sweepOutputs {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if strings.HasPrefix(name, "report.") {
			if !runInfoRe.Match(x) {
				t.Errorf("%s: %s does not say when and how it was made", what, name)
			}
			x, y = runInfoRe.ReplaceAll(x, nil), runInfoRe.ReplaceAll(y, nil)
		}
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs from the sweep run in one piece", what, name)
		}
	}
}

// TestShardsMergeToTheSameBytes: shards 0..3 of 4 in one shared folder, or
// in a folder each with other worker counts, and 8 shards (two of them
// empty) merge into the outputs and the stdout of the unsharded sweep,
// byte for byte; the shards leave no journal behind.
func TestShardsMergeToTheSameBytes(t *testing.T) {
	file := sweepFile(t, smallSweep)
	whole := t.TempDir()
	code, wantOut, stderr := cli(t, "sweep", file, "--workers", "2", "--out", whole)
	if code != 0 {
		t.Fatalf("unsharded: exit %d: %s", code, stderr)
	}
	wantOut = strings.ReplaceAll(wantOut, whole, "OUT")

	shared := t.TempDir()
	var own []string
	for i := 0; i < 4; i++ {
		shard := strings.Replace("I/4", "I", string(rune('0'+i)), 1)
		code, stdout, stderr := cli(t, "sweep", "--shard", shard, file, "--out", shared, "--workers", "1")
		if code != 0 {
			t.Fatalf("--shard %s: exit %d: %s", shard, code, stderr)
		}
		if !strings.Contains(stdout, "shard-"+string(rune('0'+i))+"-of-4.json") {
			t.Errorf("--shard %s: stdout does not name its file:\n%s", shard, stdout)
		}
		dir := t.TempDir()
		if code, _, stderr := cli(t, "sweep", file, "--shard", shard, "--workers", "3", "--out", dir); code != 0 {
			t.Fatalf("--shard %s: exit %d: %s", shard, code, stderr)
		}
		own = append(own, dir)
	}
	ents, _ := os.ReadDir(shared)
	if len(ents) != 4 {
		t.Errorf("the shared folder holds %d entries, want the 4 shard files (journals removed)", len(ents))
	}
	merged := t.TempDir()
	code, out, stderr := cli(t, "merge", shared, "--out", merged)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	if got := strings.ReplaceAll(out, merged, "OUT"); got != wantOut {
		t.Errorf("merge prints\n%s\nthe unsharded sweep\n%s", got, wantOut)
	}
	sameOutputs(t, "4 shards, one folder", whole, merged)

	merged = t.TempDir()
	if code, _, stderr := cli(t, append(append([]string{"merge"}, own...), "--out", merged)...); code != 0 {
		t.Fatalf("merge of 4 folders: exit %d: %s", code, stderr)
	}
	sameOutputs(t, "4 shards, 4 folders", whole, merged)

	eight := t.TempDir()
	for i := 0; i < 8; i++ {
		if code, _, stderr := cli(t, "sweep", file, "--shard", string(rune('0'+i))+"/8", "--out", eight); code != 0 {
			t.Fatalf("--shard %d/8: exit %d: %s", i, code, stderr)
		}
	}
	if code, _, stderr := cli(t, "merge", eight, "--out", eight); code != 0 {
		t.Fatalf("merge of 8 shards into their own folder: exit %d: %s", code, stderr)
	}
	sameOutputs(t, "8 shards", whole, eight)
}

// TestMergeRefuses: a missing, duplicated, foreign or edited shard, or a
// folder without shards, exits 2 with a line naming the problem (at most
// 20 of them, then a count), and writes nothing.
func TestMergeRefuses(t *testing.T) {
	file := sweepFile(t, smallSweep)
	shards := t.TempDir()
	for _, s := range []string{"0/4", "1/4", "2/4", "3/4"} {
		if code, _, stderr := cli(t, "sweep", file, "--shard", s, "--out", shards); code != 0 {
			t.Fatalf("--shard %s: exit %d: %s", s, code, stderr)
		}
	}
	other := t.TempDir()
	if code, _, stderr := cli(t, "sweep", file, "--shard", "2/4", "--seed", "7", "--out", other); code != 0 {
		t.Fatalf("other seed: exit %d: %s", code, stderr)
	}
	copyShard := func(dir string, i int) {
		name := "shard-" + string(rune('0'+i)) + "-of-4.json"
		data, err := os.ReadFile(filepath.Join(shards, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	missing := t.TempDir()
	for _, i := range []int{0, 1, 3} {
		copyShard(missing, i)
	}
	dup := t.TempDir()
	copyShard(dup, 1)
	foreign := t.TempDir()
	for _, i := range []int{0, 1, 3} {
		copyShard(foreign, i)
	}
	data, _ := os.ReadFile(filepath.Join(other, "shard-2-of-4.json"))
	os.WriteFile(filepath.Join(foreign, "shard-2-of-4.json"), data, 0o644)
	renamed := t.TempDir()
	for _, i := range []int{0, 1, 3} {
		copyShard(renamed, i)
	}
	data, _ = os.ReadFile(filepath.Join(shards, "shard-1-of-4.json"))
	os.WriteFile(filepath.Join(renamed, "shard-2-of-4.json"), data, 0o644)
	mixed := t.TempDir()
	copyShard(mixed, 0)
	os.WriteFile(filepath.Join(mixed, "shard-0-of-3.json"), data, 0o644)
	garbage := t.TempDir()
	for _, i := range []int{0, 1, 3} {
		copyShard(garbage, i)
	}
	os.WriteFile(filepath.Join(garbage, "shard-2-of-4.json"), []byte(`{"format": "spotsim-sweep-shard/1", "shard": 2`), 0o644)
	edited := t.TempDir()
	for _, i := range []int{0, 2, 3} {
		copyShard(edited, i)
	}
	data, _ = os.ReadFile(filepath.Join(shards, "shard-1-of-4.json"))
	var rec map[string]any
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	rec["results"].([]any)[0].(map[string]any)["cost_usd"].(map[string]any)["mean"] = 1.5
	data, _ = json.MarshalIndent(rec, "", "  ")
	os.WriteFile(filepath.Join(edited, "shard-1-of-4.json"), data, 0o644)
	stray := t.TempDir()
	os.WriteFile(filepath.Join(stray, "shard-0-of-10000.json"), []byte("{}"), 0o644)
	empty := t.TempDir()

	for _, tc := range []struct {
		name string
		dirs []string
		want string
	}{
		{"missing", []string{missing}, "spotsim merge: shard 2/4 missing: no shard-2-of-4.json in " + missing},
		{"twice", []string{shards, dup}, "spotsim merge: shard 1/4 twice: " + filepath.Join(shards, "shard-1-of-4.json") + " and " + filepath.Join(dup, "shard-1-of-4.json")},
		{"foreign", []string{foreign}, "are shards of different sweeps"},
		{"renamed", []string{renamed}, filepath.Join(renamed, "shard-2-of-4.json") + ": holds shard 1/4, not what its name says"},
		{"mixed splits", []string{mixed}, "shards of different splits"},
		{"garbage", []string{garbage}, filepath.Join(garbage, "shard-2-of-4.json") + ": not a spotsim sweep shard"},
		{"edited", []string{edited}, filepath.Join(edited, "shard-1-of-4.json") + ": was changed after spotsim wrote it (its checksum does not match its records)"},
		{"stray", []string{stray}, "spotsim merge: (and 9979 more problems)"},
		{"no shards", []string{empty}, "no shard files (shard-I-of-N.json"},
		{"no folder", []string{filepath.Join(empty, "nope")}, "nope: no such file or directory"},
		{"no arguments", nil, "name the folders holding the shard files"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := cli(t, append(append([]string{"merge"}, tc.dirs...), "--out", out)...)
		if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.name, code, stderr, tc.want)
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if len(lines) > 21 {
			t.Errorf("%s: %d lines of errors, want at most 21", tc.name, len(lines))
		}
		for _, line := range lines {
			if !strings.HasPrefix(line, "spotsim merge: ") {
				t.Errorf("%s: line %q does not say who speaks", tc.name, line)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: merge wrote %s", tc.name, out)
		}
	}
}

// TestSweepShardFlags: --shard takes I/N with 0 <= I < N, needs --out and
// cannot print a CSV.
func TestSweepShardFlags(t *testing.T) {
	file := sweepFile(t, smallSweep)
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "4/4", "--out", out}, "--shard 4/4: want I/N with 0 <= I < N"},
		{[]string{"--shard", "-1/4", "--out", out}, "--shard -1/4"},
		{[]string{"--shard", "1/0", "--out", out}, "--shard 1/0"},
		{[]string{"--shard", "1", "--out", out}, "--shard 1:"},
		{[]string{"--shard", "a/b", "--out", out}, "--shard a/b"},
		{[]string{"--shard", "1/4"}, "--shard 1/4 needs --out DIR"},
		{[]string{"--shard", "1/4", "--out", out, "--format", "csv"}, "--format csv: a shard has no frontier"},
	} {
		code, _, stderr := cli(t, append([]string{"sweep", file}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("bad flags wrote %d files", len(ents))
	}
	code, stdout, stderr := cli(t, "sweep", file, "--shard", "1/4", "--out", out, "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"format": "spotsim-sweep-shard/2"`) {
		t.Errorf("--format json on a shard: exit %d, %s %s", code, stdout, stderr)
	}
}
