package outfile_test

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/report/outfile"
)

// writerEnv, when set to a path, makes TestHelperWriter a writer process
// that TestKilledMidWrite kills.
const writerEnv = "SPOTSIM_OUTFILE_HELPER"

// version returns the content of version i: 4 MiB, so that a kill often
// lands in the middle of writing it, and different in every byte from the
// other version.
func version(i int) []byte {
	b := bytes.Repeat([]byte{byte('A' + i%2)}, 4<<20)
	copy(b, fmt.Sprintf("version %d\n", i%2))
	return b
}

// TestHelperWriter is not a test: run by TestKilledMidWrite with writerEnv
// set, it writes the two versions in turn over the file until killed.
func TestHelperWriter(t *testing.T) {
	dest := os.Getenv(writerEnv)
	if dest == "" {
		t.Skip("helper process of TestKilledMidWrite")
	}
	fmt.Println("writing")
	for i := 1; ; i++ {
		if err := outfile.Write(dest, version(i)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

// TestKilledMidWrite kills a process that rewrites a file through Write
// at random moments (SIGKILL: no chance to clean up), and checks after each
// kill that the file holds one complete version, never a truncated or mixed
// one, and that nothing else is visible under its name: an interrupted
// write leaves at most a hidden temporary file beside it.
func TestKilledMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "summary.json")
	if err := outfile.Write(dest, version(0)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for round := 0; round < 12; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
		cmd.Env = append(os.Environ(), writerEnv+"="+dest)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, _ := bufio.NewReader(out).ReadString('\n'); line != "writing\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper said %q", line)
		}
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		got, err := os.ReadFile(dest)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !bytes.Equal(got, version(0)) && !bytes.Equal(got, version(1)) {
			t.Fatalf("round %d: %s holds %d bytes starting %q: neither version", round, dest, len(got), got[:min(len(got), 12)])
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	left := 0
	for _, e := range ents {
		switch name := e.Name(); {
		case name == "summary.json":
		case strings.HasPrefix(name, ".summary.json.tmp-"):
			left++
		default:
			t.Errorf("unexpected file %s", name)
		}
	}
	t.Logf("%d of 12 kills interrupted a write (each leaves a hidden temporary file)", left)
}

// TestWriteReplaces: Write replaces the file whole, with mode 0644, and
// leaves no temporary file behind when it succeeds.
func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "a.csv")
	for _, data := range []string{"first, longer content\n", "second\n"} {
		if err := outfile.Write(dest, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(dest)
		if err != nil || string(got) != data {
			t.Fatalf("got %q, %v", got, err)
		}
	}
	if st, err := os.Stat(dest); err != nil || st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v", st.Mode(), err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d files in the folder", len(ents))
	}
}

// TestWriteFailsCleanly: a failed write leaves the old file and no
// temporary file.
func TestWriteFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out")
	if err := os.Mkdir(dest, 0o755); err != nil { // a folder where the file should go: rename fails
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := outfile.Write(dest, []byte("data")); err == nil {
		t.Fatal("no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d files in the folder, want only the old one", len(ents))
	}
}
