package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sweepBomb is the sweep: 100 × 100 points of a one-task scenario
// with reps replications each.
func sweepBomb(t *testing.T, reps, n int) string {
	t.Helper()
	file := bomb(t, reps, 1, 1, "1m")
	var vals []string
	for i := 1; i <= n; i++ {
		vals = append(vals, itoa(i))
	}
	list := "[" + strings.Join(vals, ", ") + "]"
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("[sweep]\npools.p.target_dedicated_nodes = " + list + "\njobs.j.tasks = " + list + "\n"); err != nil {
		t.Fatal(err)
	}
	return file
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -1
}

// TestSweepRefusedOverMemory: the 100 × 100-point sweep of 10^6
// replications each, under ulimit -v 2 GiB (a memory limit of about 800 MiB: the Go runtime reserves over a GiB of address space), is refused before it starts,
// in one line with the estimate and the limit, exit 2, and leaves nothing
// in --out. It used to die in sim.Replicate ("fatal error: runtime: out of
// memory", a goroutine dump, exit 2) and leave an empty journal folder.
func TestSweepRefusedOverMemory(t *testing.T) {
	file := sweepBomb(t, 1000000, 100)
	out := filepath.Join(t.TempDir(), "out")
	cmd := limited(t, 2, nil, "sweep", file, "--out", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := exitCode(cmd.Run())
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if code != 2 || len(lines) != 1 || stdout.Len() != 0 ||
		!strings.HasPrefix(lines[0], "spotsim sweep: refusing to start: the sweep would need about ") ||
		!strings.Contains(lines[0], "(10000 points, 10.0 billion replications and their baselines in all") ||
		!strings.Contains(lines[0], " MiB (half the machine") {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused sweep left %s behind: %v", out, err)
	}
}

// TestSweepWithinMemory: under the same limit, a sweep of 4 points of
// 20,000 replications (more replications in all than one point could keep)
// runs to the end, exit 0.
func TestSweepWithinMemory(t *testing.T) {
	file := sweepBomb(t, 20000, 2)
	out := t.TempDir()
	cmd := limited(t, 2, nil, "sweep", file, "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if code := exitCode(cmd.Run()); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.json")); err != nil {
		t.Error(err)
	}
}

// TestLongSweepAnnounced: the same 100 × 100 × 10^6 sweep, with memory
// enough (ulimit -v 12 GiB), is announced on stderr without a terminal in
// one line before any work; SIGINT then stops it cleanly: exit 1,
// "interrupted: 0 of 10000 points done", no goroutine dump.
func TestLongSweepAnnounced(t *testing.T) {
	file := sweepBomb(t, 1000000, 100)
	cmd := limited(t, 12, nil, "sweep", file, "--workers", "1")
	l, r := announced(t, cmd)
	if !strings.HasPrefix(l, "spotsim: bomb: about ") || !strings.Contains(l, "in 10000000000 replications and as many baseline runs") ||
		!strings.HasSuffix(l, "; Ctrl-C stops it\n") {
		t.Fatalf("announcement %q", l)
	}
	cmd.Process.Signal(syscall.SIGINT)
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		bufio.NewReader(r).WriteTo(&b)
		rest <- b.String()
	}()
	var tail string
	select {
	case tail = <-rest:
	case <-time.After(60 * time.Second):
		t.Fatal("still running 60 s after SIGINT")
	}
	code := exitCode(cmd.Wait())
	if code != 1 || !strings.Contains(tail, "spotsim sweep: interrupted: 0 of 10000 points done") || strings.Contains(tail, "goroutine") {
		t.Errorf("after SIGINT: exit %d, stderr:\n%s", code, tail)
	}
}
