package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// peerResult is the part of simpy_pool.py's JSON the test reads.
type peerResult struct {
	Completion struct {
		Mean float64   `json:"mean"`
		CI95 []float64 `json:"ci95"`
	} `json:"completion_h"`
	Cost struct {
		Mean float64   `json:"mean"`
		CI95 []float64 `json:"ci95"`
	} `json:"cost_usd"`
}

// TestPeerAgreement runs the reference scenario and compares its means with
// the independent SimPy peer's: the difference of the means must lie inside
// the 99 % interval of a difference of two independent means. The peer runs
// live when ../shared and Debian's python3-simpy3 are there; otherwise the
// peer's numbers checked into testdata/peer are used.
func TestPeerAgreement(t *testing.T) {
	root := repoRoot(t)
	var peer peerResult
	peerScript := filepath.Join(root, "..", "shared", "peers", "simpy_pool.py")
	_, noShared := os.Stat(peerScript)
	live := noShared == nil && exec.Command("/usr/bin/python3", "-c", "import simpy").Run() == nil
	if live && !testing.Short() {
		out, err := exec.Command("/usr/bin/python3", peerScript, "--reps", "300", "--seed", "11").Output()
		if err != nil {
			t.Fatalf("peer failed: %v", err)
		}
		if err := json.Unmarshal(out, &peer); err != nil {
			t.Fatal(err)
		}
		t.Log("compared with the SimPy peer run live (300 replications)")
	} else {
		if noShared != nil {
			t.Log("../shared/peers/simpy_pool.py is absent: comparing with the peer's checked-in numbers")
		} else {
			t.Log("SimPy is not installed (/usr/bin/python3 -c 'import simpy' failed) or -short: comparing with the peer's checked-in numbers")
		}
		b, err := os.ReadFile(filepath.Join(root, "testdata", "peer", "reference_simpy_1000.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &peer); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := cli(t, "run", filepath.Join(root, "testdata", "scenarios", "reference.toml"), "--reps", "2000", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sum struct {
		Scenario struct {
			Completion struct{ Mean, CI95Low, CI95High float64 } `json:"completion_time_hours"`
			Cost       struct{ Mean, CI95Low, CI95High float64 } `json:"cost_usd"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	check := func(what string, mean, lo, hi, pmean float64, pci []float64) {
		se := (hi - lo) / 2 / 1.96
		pse := (pci[1] - pci[0]) / 2 / 1.96
		tol := 2.576 * math.Hypot(se, pse)
		if d := math.Abs(mean - pmean); d > tol {
			t.Errorf("%s: spotsim %.4f [%.4f, %.4f], peer %.4f [%.4f, %.4f]: difference %.4f beyond %.4f",
				what, mean, lo, hi, pmean, pci[0], pci[1], d, tol)
		} else {
			t.Logf("%s: spotsim %.4f, peer %.4f, difference %.4f within %.4f", what, mean, pmean, d, tol)
		}
	}
	s := sum.Scenario
	check("completion (h)", s.Completion.Mean, s.Completion.CI95Low, s.Completion.CI95High, peer.Completion.Mean, peer.Completion.CI95)
	check("cost (USD)", s.Cost.Mean, s.Cost.CI95Low, s.Cost.CI95High, peer.Cost.Mean, peer.Cost.CI95)
}
