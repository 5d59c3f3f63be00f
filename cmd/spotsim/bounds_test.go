package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bomb writes a scenario of the issue's: one pool, no quotas.
func bomb(t *testing.T, reps, ded, tasks int, dur string) string {
	t.Helper()
	src := "[simulation]\nreplications = " + itoa(reps) + "\n[quotas]\ndedicated_cores = 0\n[[pools]]\nname = \"p\"\nvm_size = \"Standard_D4s_v5\"\ntarget_dedicated_nodes = " + itoa(ded) +
		"\n[[jobs]]\nname = \"j\"\npool = \"p\"\ntasks = " + itoa(tasks) + "\nduration = \"" + dur + "\"\n"
	file := filepath.Join(t.TempDir(), "bomb.toml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func itoa(n int) string { return strconv.Itoa(n) }

// limited runs the spotsim of this test binary in a shell that caps its
// address space at gib GiB (so that a bug cannot take the machine down;
// spotsim then takes half of it as its memory limit), with env added.
func limited(t *testing.T, gib int, env []string, args ...string) *exec.Cmd {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("ulimit -v: Linux only")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	script := "ulimit -v " + itoa(gib<<20) + ` && exec "$0" -test.run='^TestHelperSpotsim$' -- "$@"`
	cmd := exec.Command(sh, append([]string{"-c", script, os.Args[0]}, args...)...)
	cmd.Env = append(append(os.Environ(), "SPOTSIM_HELPER=1"), env...)
	return cmd
}

// TestRefusedOverMemory: 10^6 replications of a one-task scenario need
// about 393 MiB for their records (1.7 GiB for their results before
// runner.Record); with a 256 MiB limit (GOMEMLIMIT) the run is refused
// before it starts, in one line naming the estimate and the limit, exit 2.
// It used to die with "fatal error: out of memory" and a goroutine dump.
func TestRefusedOverMemory(t *testing.T) {
	file := bomb(t, 1000000, 1, 1, "1m")
	cmd := limited(t, 2, []string{"GOMEMLIMIT=256MiB"}, "run", file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := -1
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err == nil {
		code = 0
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if code != 2 || len(lines) != 1 || stdout.Len() != 0 ||
		!strings.HasPrefix(lines[0], "spotsim run: refusing to start: the run would need about 393.1 MiB of memory") ||
		!strings.Contains(lines[0], "of the limit of 256.0 MiB") {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout.String(), stderr.String())
	}
}

// TestLongRunAnnounced: 50 million 1 ms tasks x 10^6 replications (about
// 2e14 events) is announced on stderr, without a terminal, in one line
// before any work; the run is then killed. It used to start silently.
func TestLongRunAnnounced(t *testing.T) {
	file := bomb(t, 1000000, 100, 50000000, "1ms")
	l, _ := announced(t, limited(t, 8, nil, "run", file))
	if !strings.HasPrefix(l, "spotsim: bomb: about 2.0e+14 events (1.0e+14 task runs) in 1000000 replications and as many baseline runs, about ") ||
		!strings.HasSuffix(l, "; Ctrl-C stops it\n") {
		t.Errorf("announcement %q", l)
	}
}

// announced starts cmd (killed when the test ends) and returns the first
// line it writes on stderr, which must come before any work, and the rest
// of stderr to read on. The wait only guards against a hang, so it is long
// enough for a loaded machine.
func announced(t *testing.T, cmd *exec.Cmd) (string, *bufio.Reader) {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r := bufio.NewReader(pipe)
	line := make(chan string, 1)
	go func() {
		l, _ := r.ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		return l, r
	case <-time.After(2 * time.Minute):
		t.Fatal("no announcement within 2 minutes")
	}
	return "", nil
}

// TestRefusedUnderUlimit: under `ulimit -v` of 2 GiB, without GOMEMLIMIT,
// 10^6 replications of a ten-job scenario (about 918 MiB of records) are
// refused too: spotsim takes half the address-space limit as its memory
// limit, rather than die of it.
func TestRefusedUnderUlimit(t *testing.T) {
	file := bomb(t, 1000000, 1, 1, "1m")
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		fmt.Fprintf(f, "[[jobs]]\nname = \"j%d\"\npool = \"p\"\ntasks = 1\nduration = \"1m\"\n", i)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := limited(t, 2, nil, "run", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), " MiB (half the machine") || strings.Count(stderr.String(), "\n") != 1 {
		t.Fatalf("%v: %s", err, stderr.String())
	}
}

// TestPreemptionBombChartsFit: the preemption bomb (100,000
// low-priority nodes living 1 s on average, 100-day tasks) with --out is
// announced and starts: the charts' traces are bounded, so they no longer
// make it "need" tens of TiB (it was refused, 56.6 TiB for 1,000
// replications). The run is then killed; nothing is written.
func TestPreemptionBombChartsFit(t *testing.T) {
	src := "[simulation]\nreplications = 1000\n[quotas]\ndedicated_cores = 0\nlow_priority_cores = 0\n[[pools]]\nname = \"p\"\nvm_size = \"Standard_D4s_v5\"\n" +
		"target_low_priority_nodes = 100000\n[pools.preemption]\nmean_time_to_preemption = \"1s\"\n[[jobs]]\nname = \"j\"\npool = \"p\"\ntasks = 100000\nduration = \"100d\"\n"
	dir := t.TempDir()
	file := filepath.Join(dir, "bomb.toml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := limited(t, 8, nil, "run", file, "--out", out)
	if l, _ := announced(t, cmd); !strings.HasPrefix(l, "spotsim: bomb: about ") || !strings.Contains(l, "in 1000 replications and as many baseline runs") || !strings.HasSuffix(l, "; Ctrl-C stops it\n") {
		t.Errorf("want the run announced, got %q", l)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(out, "nodes.png")); err == nil {
		t.Error("a killed run wrote its charts")
	}
}

// TestRunsWithinMemory: the 10^6 replications of a one-task
// scenario under a 1 GiB limit (GOMEMLIMIT, inside ulimit -v 4 GiB) run to
// the end, exit 0, and the process's peak resident memory stays under the
// limit. Keeping every model.Result (about 1.7 GiB estimated) refused it;
// the records (344 bytes a replication) need about 393 MiB.
func TestRunsWithinMemory(t *testing.T) {
	file := bomb(t, 1000000, 1, 1, "1m")
	cmd := limited(t, 4, []string{"GOMEMLIMIT=1GiB"}, "run", file, "--format", "json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if code := exitCode(cmd.Run()); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"replications": 1000000`) {
		t.Errorf("stdout: %.300s", stdout.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > 1<<30 {
		t.Errorf("peak resident memory %d MiB, over the 1 GiB limit", ru.Maxrss>>10)
	}
}
