package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spotsim/spotsim/report/outfile"
)

// outVersions are two runs whose output sets differ in content and in
// files: the second has a varying spot price, so it also writes price.png.
func outVersions(t *testing.T) [2][]string {
	small := filepath.Join(repoRoot(t), "report", "testdata", "small.toml")
	return [2][]string{
		{"run", small, "--reps", "4", "--seed", "1"},
		{"run", small, "--reps", "4", "--seed", "2", "--set",
			`pools.main.spot_price={model="ou",mean=0.02,volatility=0.01,reversion_time="1h"}`},
	}
}

// checkOneSet checks that dir holds one complete set of outputs: every
// file of its manifest as written, no other file but the user's mine.txt,
// untouched, and no staging folder or temporary file. It returns the
// version (0 or 1) whose summary.json the set holds.
func checkOneSet(t *testing.T, dir string, summaries [2][]byte) int {
	t.Helper()
	m, err := outfile.ReadManifest(dir)
	if err != nil || m == nil {
		t.Fatalf("manifest: %v, %v", m, err)
	}
	listed := map[string]bool{outfile.ManifestName: true, "mine.txt": true}
	for _, e := range m.Files {
		listed[e.Name] = true
		data, err := os.ReadFile(filepath.Join(dir, e.Name))
		if err != nil {
			t.Fatalf("%s of the manifest: %v", e.Name, err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != e.SHA256 {
			t.Fatalf("%s is not the file of the manifest: a mixed set", e.Name)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !listed[e.Name()] {
			t.Fatalf("%s is in the folder but not in the set", e.Name())
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "mine.txt")); err != nil || string(data) != "mine" {
		t.Fatalf("the user's file: %q, %v", data, err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	for v, want := range summaries {
		if bytes.Equal(got, want) {
			return v
		}
	}
	t.Fatal("summary.json is neither version's")
	return -1
}

// TestRunOutSurvivesKill kills `spotsim run --out` with SIGKILL at seeded
// moments, mostly while it moves its outputs in, 32 times, alternating two
// versions of the outputs. After each kill, recovery (what the next run
// does first) must leave exactly the previous set or exactly the new one.
func TestRunOutSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals: POSIX only")
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	versions := outVersions(t)
	var summaries [2][]byte
	for v, args := range versions {
		ref := t.TempDir()
		if code, _, stderr := cli(t, append(args, "--out", ref)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		summaries[v], _ = os.ReadFile(filepath.Join(ref, "summary.json"))
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine"), 0o644)
	if code, _, stderr := cli(t, append(versions[0], "--out", dir)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rng := rand.New(rand.NewPCG(13, 13))
	have, kills, finished := 0, 0, 0
	kept, took, rolled := 0, 0, 0 // kills that left the old set, the new one, a commit to finish
	// The kill moments are seeded fractions of windows measured on the
	// runs that finished first: from the staging folder's appearance to the
	// exit (writing, syncing, moving in), and from the start to the exit.
	writeWin, runWin := 100*time.Millisecond, 400*time.Millisecond
	for round := 0; kills < 32; round++ {
		if round > 400 {
			t.Fatalf("only %d of 400 runs were killed before they finished", kills)
		}
		next := 1 - have
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperSpotsim$", "--"},
			append(versions[next], "--workers", "1", "--out", dir)...)...)
		cmd.Env = append(os.Environ(), "SPOTSIM_HELPER=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		// Most kills wait for the staging folder, then a seeded share of
		// the writing window; one in four lands at a seeded share of a run.
		staging := rng.IntN(4) != 0
		u := rng.Float64()
		start := time.Now()
		var seen time.Time
	wait:
		for {
			select {
			case <-exited:
				break wait
			default:
			}
			if seen.IsZero() && stagingExists(dir) {
				seen = time.Now()
			}
			if staging && !seen.IsZero() && time.Since(seen) >= time.Duration(u*float64(writeWin)) {
				break
			}
			if !staging && time.Since(start) >= time.Duration(u*float64(runWin)) {
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
		select {
		case <-exited:
			runWin = time.Since(start)
			if !seen.IsZero() {
				writeWin = time.Since(seen)
			}
		default:
		}
		killed := false
		select {
		case <-exited:
			finished++
		default:
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			kills, killed = kills+1, true
		}
		if m, _ := outfile.ReadManifest(dir); killed && m != nil && dirExists(filepath.Join(dir, m.Staging)) {
			rolled++ // killed after the commit point: recovery finishes the move
		}
		if err := outfile.Recover(dir); err != nil {
			t.Fatalf("round %d: Recover: %v", round, err)
		}
		v := checkOneSet(t, dir, summaries)
		if killed && v == have {
			kept++
		} else if killed {
			took++
		}
		have = v
	}
	t.Logf("%d kills: %d left the old set, %d the new one (%d of them committed but not moved in, finished by recovery); %d runs finished first",
		kills, kept, took, rolled, finished)
	if kept == 0 || took == 0 {
		t.Errorf("kills never left the old set (%d) or never the new one (%d)", kept, took)
	}
}

func dirExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

func stagingExists(dir string) bool {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".spotsim-staging-") {
			return true
		}
	}
	return false
}

// TestRunOutFullDisk runs `spotsim run --out` into a small tmpfs that
// holds one set of outputs but not two: the run fails (exit 1) and the
// folder keeps the old set, whole, with no staging left. It needs root to
// mount the tmpfs and skips otherwise.
func TestRunOutFullDisk(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root on Linux")
	}
	versions := outVersions(t)
	ref := t.TempDir()
	if code, _, stderr := cli(t, append(versions[1], "--out", ref)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var size int64
	var summaries [2][]byte
	ents, _ := os.ReadDir(ref)
	for _, e := range ents {
		if st, err := e.Info(); err == nil && !e.IsDir() {
			size += (st.Size() + 4095) / 4096 * 4096
		}
	}
	summaries[1], _ = os.ReadFile(filepath.Join(ref, "summary.json"))
	mnt := t.TempDir()
	// Room for one set and a half: the second set cannot be staged whole.
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.FormatInt(size*3/2+64<<10, 10), "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s)", err, bytes.TrimSpace(out))
	}
	defer exec.Command("umount", mnt).Run()
	dir := filepath.Join(mnt, "out")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine"), 0o644)
	if code, _, stderr := cli(t, append(versions[1], "--out", dir)...); code != 0 {
		t.Fatalf("the first run: exit %d: %s", code, stderr)
	}
	if v := checkOneSet(t, dir, summaries); v != 1 {
		t.Fatalf("the first run left version %d", v)
	}
	code, _, stderr := cli(t, append(versions[0], "--out", dir)...)
	if code != 1 || !strings.Contains(stderr, "no space left on device") {
		t.Fatalf("a full disk: exit %d: %s", code, stderr)
	}
	if v := checkOneSet(t, dir, summaries); v != 1 {
		t.Fatalf("the failed run left version %d", v)
	}
	if stagingExists(dir) {
		t.Fatal("the failed run left its staging folder")
	}
}
