// Package slurm_test runs deploy/slurm for real: it starts a single-host
// Slurm cluster (munged, slurmctld and slurmd from Debian's packages, all
// state in a temporary folder), submits a sharded sweep with submit.sh and
// compares the merged outputs byte for byte with the same sweep run in one
// piece.
package slurm_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// sweepAxes turn report/testdata/small.toml (the small scenario the other
// sweep tests use, so schema changes reach this test too) into a sweep of 6
// points (2 x 3): enough for every shard to have work, and a second axis so
// heatmap.png is drawn too.
const sweepAxes = `
[sweep]
pools.main.target_low_priority_nodes = [0, 4, 8]
pools.main.target_dedicated_nodes = [1, 3]
deadline = "3h"
percentile = 95
`

// shards is how many array tasks the test submits: more than the 2 CPUs
// of a CI machine, so some tasks wait for others, as on a busy cluster.
const shards = 3

// need returns the path of each program, skipping the test with a message
// naming the packages when one is missing.
func need(t *testing.T, progs ...string) map[string]string {
	t.Helper()
	paths := map[string]string{}
	for _, p := range progs {
		path, err := exec.LookPath(p)
		if err != nil {
			for _, dir := range []string{"/usr/sbin", "/sbin"} {
				if _, err2 := os.Stat(filepath.Join(dir, p)); err2 == nil {
					path, err = filepath.Join(dir, p), nil
					break
				}
			}
		}
		if err != nil {
			t.Skipf("Slurm is not installed (%s not found): apt-get install slurmctld slurmd slurm-client munge (.ci/run does)", p)
		}
		paths[p] = path
	}
	return paths
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// cluster is a running single-host Slurm cluster.
type cluster struct {
	dir  string
	conf string
	env  []string
	bin  map[string]string
}

// daemon starts a program in the foreground of its own process and stops
// it when the test ends.
func daemon(t *testing.T, logFile string, name string, args ...string) {
	t.Helper()
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		log.Close()
	})
}

// startCluster configures and starts munged, slurmctld and slurmd in a
// temporary folder: a generated munge key, ProctrackType=proctrack/linuxproc,
// TaskPlugin=task/none, SelectType=select/cons_tres, and one node line
// naming this host with its CPUs.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	bin := need(t, "munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo")
	if os.Geteuid() != 0 {
		t.Skip("the single-host Slurm cluster runs its daemons as root (SlurmUser=root); run the test as root")
	}
	dir, err := os.MkdirTemp("", "spotsim-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, d := range []string{"munge", "state", "spool", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	key := make([]byte, 1024)
	f, err := os.Open("/dev/urandom")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Read(key)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "munge", "munge.key")
	if err := os.WriteFile(keyFile, key, 0o400); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(dir, "munge", "munge.socket")
	daemon(t, filepath.Join(dir, "log", "munged.out"), bin["munged"], "--foreground", "--force",
		"--key-file="+keyFile, "--socket="+socket,
		"--pid-file="+filepath.Join(dir, "munge", "munged.pid"),
		"--log-file="+filepath.Join(dir, "log", "munged.log"),
		"--seed-file="+filepath.Join(dir, "munge", "munged.seed"))
	waitFor(t, 10*time.Second, "munged's socket", func() (bool, string) {
		_, err := os.Stat(socket)
		return err == nil, fmt.Sprint(err)
	})

	host, err := exec.Command("hostname", "-s").Output()
	if err != nil {
		t.Fatalf("hostname -s: %v", err)
	}
	h := strings.TrimSpace(string(host))
	conf := filepath.Join(dir, "slurm.conf")
	text := fmt.Sprintf(`ClusterName=spotsimtest
SlurmctldHost=%[1]s
AuthType=auth/munge
AuthInfo=socket=%[2]s
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=%[3]d
SlurmdPort=%[4]d
StateSaveLocation=%[5]s/state
SlurmdSpoolDir=%[5]s/spool
SlurmctldPidFile=%[5]s/slurmctld.pid
SlurmdPidFile=%[5]s/slurmd.pid
SlurmctldLogFile=%[5]s/log/slurmctld.log
SlurmdLogFile=%[5]s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=%[1]s CPUs=%[6]d State=UNKNOWN
PartitionName=debug Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, h, socket, freePort(t), freePort(t), dir, runtime.NumCPU())
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &cluster{dir: dir, conf: conf, bin: bin, env: append(os.Environ(), "SLURM_CONF="+conf)}
	// -D: stay in the foreground; -i: ignore state left by an earlier run
	daemon(t, filepath.Join(dir, "log", "slurmctld.out"), bin["slurmctld"], "-D", "-i", "-f", conf)
	daemon(t, filepath.Join(dir, "log", "slurmd.out"), bin["slurmd"], "-D", "-f", conf)
	waitFor(t, 60*time.Second, "the node to be idle", func() (bool, string) {
		out, err := c.run("sinfo", "-h", "-o", "%t")
		s := strings.TrimSpace(out)
		return err == nil && s == "idle", s + c.logs()
	})
	return c
}

// run runs a Slurm client with the cluster's configuration.
func (c *cluster) run(name string, args ...string) (string, error) {
	path := name
	if p, ok := c.bin[name]; ok {
		path = p
	}
	cmd := exec.Command(path, args...)
	cmd.Env = c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// logs returns the daemons' logs, for a failure message.
func (c *cluster) logs() string {
	var b strings.Builder
	for _, name := range []string{"slurmctld.log", "slurmd.log", "munged.log"} {
		data, _ := os.ReadFile(filepath.Join(c.dir, "log", name))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		fmt.Fprintf(&b, "\n--- %s (last lines)\n%s", name, strings.Join(lines, "\n"))
	}
	return b.String()
}

// waitFor polls ok until it holds or the time is up.
func waitFor(t *testing.T, limit time.Duration, what string, ok func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		done, state := ok()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s; last: %s", limit, what, state)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// jobState is a job's state as scontrol reports it (COMPLETED, PENDING,
// FAILED, ...).
func (c *cluster) jobState(id string) string {
	out, _ := c.run("scontrol", "show", "job", id)
	for _, f := range strings.Fields(out) {
		if s, ok := strings.CutPrefix(f, "JobState="); ok {
			return s
		}
	}
	return "UNKNOWN"
}

// buildSpotsim builds the spotsim binary into dir.
func buildSpotsim(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "spotsim")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/spotsim/spotsim/cmd/spotsim")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSlurmSweep submits a sweep as a job array of 3 shards plus a merge job
// that depends on it (submit.sh), waits for the merge and compares every
// deterministic output with the sweep run in one piece.
func TestSlurmSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Slurm cluster; skipped with -short")
	}
	c := startCluster(t)
	shared := t.TempDir()
	bin := buildSpotsim(t, shared)
	scenario := filepath.Join(shared, "sweep.toml")
	small, err := os.ReadFile(filepath.Join("..", "..", "report", "testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scenario, append(small, sweepAxes...), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(shared, "out")
	submit, err := filepath.Abs("submit.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", submit, fmt.Sprint(shards))
	cmd.Env = append(c.env, "SPOTSIM="+bin, "SCENARIO="+scenario, "OUT="+out, "MAX_RUNNING=2")
	ids, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("submit.sh: %v\n%s%s", err, ids, c.logs())
	}
	f := strings.Fields(string(ids))
	if len(f) != 2 {
		t.Fatalf("submit.sh printed %q, want \"ARRAY MERGE\"", ids)
	}
	array, merge := f[0], f[1]
	if s, _ := c.run("scontrol", "show", "job", merge); !strings.Contains(s, "afterok:"+array) {
		t.Errorf("the merge job does not depend on the array with afterok:\n%s", s)
	}
	waitFor(t, 3*time.Minute, "the merge job", func() (bool, string) {
		s := c.jobState(merge)
		switch s {
		case "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY":
			logs, _ := filepath.Glob(filepath.Join(out, "slurm-logs", "*"))
			var b strings.Builder
			for _, l := range logs {
				data, _ := os.ReadFile(l)
				fmt.Fprintf(&b, "\n--- %s\n%s", filepath.Base(l), data)
			}
			t.Fatalf("merge job %s: %s%s%s", merge, s, b.String(), c.logs())
		}
		return s == "COMPLETED", s
	})
	for i := 0; i < shards; i++ {
		if s := c.jobState(fmt.Sprintf("%s_%d", array, i)); s != "COMPLETED" {
			t.Errorf("array task %d: %s", i, s)
		}
		if _, err := os.Stat(filepath.Join(out, fmt.Sprintf("shard-%d-of-%d.json", i, shards))); err != nil {
			t.Errorf("shard %d: %v", i, err)
		}
	}

	whole := t.TempDir()
	one := exec.Command(bin, "sweep", scenario, "--out", whole)
	if b, err := one.CombinedOutput(); err != nil {
		t.Fatalf("unsharded sweep: %v\n%s", err, b)
	}
	entries, err := os.ReadDir(whole)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, e := range entries {
		name := e.Name()
		// report.md and report.html carry the date and the command line
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "report.") {
			continue
		}
		want, _ := os.ReadFile(filepath.Join(whole, name))
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Errorf("merged outputs: %v", err)
			continue
		}
		if !bytes.Equal(want, got) {
			t.Errorf("%s: the Slurm run's merged file differs from the sweep run in one piece", name)
		}
		compared++
	}
	if compared < 3 {
		t.Errorf("compared only %d files (want at least sweep.csv, sweep.json, frontier.png)", compared)
	}
}
