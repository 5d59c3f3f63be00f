package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/scenarios/importer"
)

func TestReadLifetimesActivityLog(t *testing.T) {
	l, err := importer.ReadEvictions("testdata/activity-log.json")
	if err != nil {
		t.Fatal(err)
	}
	if l.VMs != 5 || l.Evictions == 0 || len(l.Obs) != l.Evictions+countCensored(l) {
		t.Fatalf("VMs %d, evictions %d, obs %d", l.VMs, l.Evictions, len(l.Obs))
	}
	// Every VM still running at the end is censored, as is the one its
	// owner deallocated; the one never restarted is not.
	if c := countCensored(l); c != 4 {
		t.Errorf("censored = %d, want 4 (3 alive at the end + 1 deallocated)", c)
	}
	for _, o := range l.Obs {
		if o.Value <= 0 || o.Value > 4*24*time.Hour {
			t.Errorf("lifetime %v out of the log's 4 days", o.Value)
		}
	}
}

func countCensored(l *importer.Lifetimes) int {
	n := 0
	for _, o := range l.Obs {
		if o.Censored {
			n++
		}
	}
	return n
}

// TestActivityLogPairing checks the pairing rules on a small log: a
// start's Started and Succeeded rows count once, resource ids match
// without case, a preemption without a start is left out, a failed start
// opens nothing.
func TestActivityLogPairing(t *testing.T) {
	const vm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a"
	row := func(op, at, status string, upper bool) string {
		id := vm
		if upper {
			id = strings.ToUpper(id)
		}
		return `{"operationName": {"value": "Microsoft.Compute/virtualMachines/` + op + `"}, "resourceId": "` + id + `", "eventTimestamp": "` + at + `", "status": {"value": "` + status + `"}}`
	}
	log := "[" + strings.Join([]string{
		row("preempt/action", "2026-03-01T23:00:00Z", "Succeeded", false), // before any start: unpaired
		row("start/action", "2026-03-02T00:00:00Z", "Started", false),
		row("start/action", "2026-03-02T00:01:00Z", "Succeeded", true),
		row("preempt/action", "2026-03-02T05:00:00Z", "Succeeded", true), // 5h
		row("start/action", "2026-03-02T06:00:00Z", "Failed", false),
		row("start/action", "2026-03-02T07:00:00Z", "Succeeded", false),
		row("deallocate/action", "2026-03-02T09:30:00Z", "Succeeded", false), // 2h30m censored
		row("write", "2026-03-02T10:00:00Z", "Succeeded", false),
		`{"operationName": {"value": "Microsoft.Network/publicIPAddresses/write"}, "resourceId": "x", "eventTimestamp": "2026-03-02T12:00:00Z"}`,
	}, ",") + "]"
	path := filepath.Join(t.TempDir(), "log.json")
	os.WriteFile(path, []byte(log), 0o644)
	l, err := importer.ReadEvictions(path)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, o := range l.Obs {
		got += o.Value.String()
		if o.Censored {
			got += "+"
		}
		got += " "
	}
	if want := "5h0m0s 2h30m0s+ 2h0m0s+ "; got != want || l.Unpaired != 1 {
		t.Errorf("lifetimes %q (unpaired %d), want %q (1)", got, l.Unpaired, want)
	}
}

func TestReadLifetimesCSV(t *testing.T) {
	obs, err := importer.ReadLifetimes("testdata/lifetimes.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 240 {
		t.Fatalf("%d lifetimes, want 240", len(obs))
	}
	if obs[0].Value != 15599*time.Second || obs[0].Censored || !obs[1].Censored {
		t.Errorf("first rows %+v %+v", obs[0], obs[1])
	}
}

func TestReadTasks(t *testing.T) {
	for _, f := range []string{"testdata/task-list.json", "testdata/batch-service.log"} {
		h, err := importer.ReadTasks(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Jobs) != 1 || h.Jobs[0] != "render-frames-0302" || h.MaxRetries != 2 || h.NodesPerTask != 1 || h.MaxWallClock != 0 {
			t.Errorf("%s: jobs %v, max retries %d, nodes per task %d, wall clock %v", f, h.Jobs, h.MaxRetries, h.NodesPerTask, h.MaxWallClock)
		}
		// 52 completed tasks, 3 of which failed all 3 of their tries.
		if h.Completed != 52 || h.Failed < 9 || h.Tries < 52+6 {
			t.Errorf("%s: %d completed, %d tries, %d failed", f, h.Completed, h.Tries, h.Failed)
		}
		succeeded := 0
		for _, o := range h.Obs {
			if !o.Censored {
				succeeded++
				if o.Value < time.Minute || o.Value > time.Hour {
					t.Errorf("%s: a run of %v", f, o.Value)
				}
			}
		}
		if succeeded != 49 {
			t.Errorf("%s: %d run times of succeeded tasks, want 49", f, succeeded)
		}
		switch f {
		case "testdata/task-list.json":
			if h.Tasks != 60 || len(h.Obs) != 53 {
				t.Errorf("task list: %d tasks, %d observations; want 60 and 49 + 4 running", h.Tasks, len(h.Obs))
			}
		default:
			if h.Tasks != 52 || len(h.Obs) != 49 {
				t.Errorf("log: %d tasks, %d observations; want 52 and 49", h.Tasks, len(h.Obs))
			}
		}
	}
	a, _ := importer.ReadTasks("testdata/task-list.json")
	b, _ := importer.ReadTasks("testdata/batch-service.log")
	if a.Tries != b.Tries || a.Failed != b.Failed {
		t.Errorf("task list and log disagree: %d/%d vs %d/%d failed tries", a.Failed, a.Tries, b.Failed, b.Tries)
	}
}

func TestReadDurationsCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(path, []byte("task,duration,censored\na,10m,\nb,630,false\nc,1h,true\n"), 0o644)
	obs, err := importer.ReadDurations(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 3 || obs[0].Value != 10*time.Minute || obs[1].Value != 630*time.Second || !obs[2].Censored {
		t.Errorf("got %+v", obs)
	}
}

// TestBadObservations: one line naming the file and the JSON path or
// line for each kind of bad input.
func TestBadObservations(t *testing.T) {
	for _, c := range []struct {
		name, file, text, want string
		read                   func(string) error
	}{
		{"lifetime column", "l.csv", "node,life\na,3h\n", `l.csv:1: no "lifetime" column in the header (columns: "node", "life")`, lifetimes},
		{"negative", "l.csv", "lifetime\n-3h\n", `l.csv:2: column 1 (lifetime): negative duration "-3h"`, lifetimes},
		{"negative seconds", "l.csv", "lifetime\n-30\n", `l.csv:2: column 1 (lifetime): "-30" seconds must be between 0 and 1e11`, lifetimes},
		{"censored", "l.csv", "lifetime,censored\n3h,maybe\n", `l.csv:2: column 2 (censored): want true or false, got "maybe"`, lifetimes},
		{"empty csv", "l.csv", "lifetime\n", `l.csv: no observations below the header`, lifetimes},
		{"date", "a.json", `[{"operationName": {"value": "Microsoft.Compute/virtualMachines/start/action"}, "resourceId": "x", "eventTimestamp": "yesterday"}]`, `a.json: $[0].eventTimestamp: invalid date "yesterday" (want RFC 3339, such as 2026-03-02T10:15:00Z)`, lifetimes},
		{"no resource", "a.json", `[{"operationName": {"value": "Microsoft.Compute/virtualMachines/start/action"}, "eventTimestamp": "2026-03-02T10:15:00Z"}]`, `a.json: $[0].resourceId: missing`, lifetimes},
		{"prices as log", "a.json", `{"BillingCurrency": "USD", "Items": [], "NextPageLink": null}`, `a.json: this looks like a Retail Prices page, not an activity log or a CSV of lifetimes`, lifetimes},
		{"syntax", "a.json", "[\n {\"eventTimestamp\": }]", `a.json:2:21: JSON syntax: invalid character '}' looking for beginning of value`, lifetimes},
		{"task list as log", "t.json", `[{"eventTimestamp": "2026-03-02T10:15:00Z"}]`, `t.json: this looks like an activity log, not a task history (az batch task list, or Batch diagnostic log lines)`, tasks},
		{"task end", "t.json", `[{"id": "a", "state": "completed", "executionInfo": {"startTime": "2026-03-02T10:15:00Z", "endTime": "2026-03-02T10:00:00Z", "exitCode": 0}}]`, `t.json: $[0].executionInfo.endTime: ends before its startTime 2026-03-02T10:15:00Z`, tasks},
		{"task id", "t.json", `[{"state": "completed", "executionInfo": {}}]`, `t.json: $[0].id: missing`, tasks},
		{"log line", "t.log", "{\"category\": \"ServiceLog\", \"operationName\": \"TaskCompleteEvent\", \"properties\": {\"jobId\": \"j\", \"id\": \"a\", \"executionInfo\": {\"startTime\": \"2026-03-02T10:15:00Z\", \"endTime\": \"2026-03-02T10:25:00Z\"}}}\n{\"category\": \"ServiceLog\", \"operationName\": \"TaskCompleteEvent\", \"properties\": {\"jobId\": \"j\", \"id\": \"b\", \"executionInfo\": {\"startTime\": \"2026-03-02\", \"endTime\": \"2026-03-02T10:25:00Z\"}}}\n", `t.log:2: $.properties.executionInfo.startTime: invalid date "2026-03-02" (want RFC 3339, such as 2026-03-02T10:15:00Z)`, tasks},
		{"retries", "t.json", `[{"id": "a", "commandLine": "run.sh", "constraints": {"maxTaskRetryCount": 1.5}}]`, `t.json: $[0].constraints.maxTaskRetryCount: must be a whole number between -1 and 1073741824, got the number 1.5`, tasks},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.file)
			os.WriteFile(path, []byte(c.text), 0o644)
			err := c.read(path)
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.ReplaceAll(err.Error(), path, c.file)
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			var ie *importer.Error
			if !asError(err, &ie) {
				t.Errorf("%T is not an *importer.Error", err)
			}
		})
	}
}

func lifetimes(p string) error { _, err := importer.ReadLifetimes(p); return err }
func tasks(p string) error     { _, err := importer.ReadTasks(p); return err }
