package importer

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/fit"
)

// Tasks is a job's task history: the durations of its runs, its failed
// tries and its shape.
type Tasks struct {
	File string
	Kind Kind // TaskList or DiagnosticLog
	// Obs are the run times of the tasks that succeeded (their last run:
	// Azure's startTime is the latest start) and, censored at the
	// history's last timestamp, of the tasks still running. A failed run
	// is a try, not a duration.
	Obs []fit.Obs
	// Tasks counts distinct tasks (not started, running or completed);
	// Completed those that ended, Tries their tries (1 + retryCount each)
	// and Failed the tries that failed (the retries, and the last try when
	// its exit code is not 0).
	Tasks, Completed, Tries, Failed int
	Jobs                            []string // job ids, sorted
	// NodesPerTask is multiInstanceSettings.numberOfInstances (1 without);
	// MaxRetries is constraints.maxTaskRetryCount, the largest seen (-1:
	// unlimited); MaxWallClock the constraints' maxWallClockTime when one
	// is set (0: none).
	NodesPerTask, MaxRetries int
	MaxWallClock             time.Duration
	Until                    time.Time
}

// FailureProbability is the share of tries that failed.
func (t *Tasks) FailureProbability() float64 {
	if t.Tries == 0 {
		return 0
	}
	return float64(t.Failed) / float64(t.Tries)
}

// ReadDurations reads task run times for `spotsim fit durations` and
// `spotsim import --tasks`: an az batch task list JSON, Batch diagnostic
// log lines (TaskCompleteEvent), or a CSV with a duration column and an
// optional censored column.
func ReadDurations(path string) ([]fit.Obs, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return durationsFrom(path, data)
}

func durationsFrom(path string, data []byte) ([]fit.Obs, error) {
	if !looksJSON(data) {
		return readObsCSV(path, data, "duration")
	}
	t, err := readTasks(path, data, "")
	if err != nil {
		return nil, err
	}
	return t.Obs, nil
}

// ReadTasks reads a task history: an az batch task list JSON, or Batch
// diagnostic log lines, one JSON object a line, of which the
// TaskCompleteEvent ones are used.
func ReadTasks(path string) (*Tasks, error) { return ReadJobTasks(path, "") }

// ReadJobTasks is ReadTasks for the tasks of one job ("" = every job's).
func ReadJobTasks(path, job string) (*Tasks, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return readTasks(path, data, job)
}

func readTasks(path string, data []byte, job string) (*Tasks, error) {
	if !looksJSON(data) {
		return nil, errorf(path, "", "this does not look like a task history: want az batch task list JSON or Batch diagnostic log lines")
	}
	if isJSONLines(data) {
		return diagnosticTasks(path, data, job)
	}
	doc, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	switch k := sniff(doc); k {
	case TaskList:
	case DiagnosticLog: // a single line
		return diagnosticTasks(path, data, job)
	default:
		return nil, wrongKind(path, k, "a task history (az batch task list, or Batch diagnostic log lines)")
	}
	rows := doc
	if v, ok := doc.get("value"); ok {
		rows = v
	}
	if _, ok := rows.object(); ok {
		rows = node{v: []any{rows.v}, path: "$", file: path}
	}
	items, err := rows.items()
	if err != nil {
		return nil, err
	}
	var recs []taskRec
	for _, it := range items {
		r, err := taskFromList(it)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return summarize(path, TaskList, recs, job)
}

// isJSONLines reports whether data holds several JSON objects, one a line.
func isJSONLines(data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	return bytes.Contains(t, []byte("}\n{")) || bytes.Contains(t, []byte("}\r\n{"))
}

// taskRec is one task as either source describes it.
type taskRec struct {
	job, id     string
	state       string // "completed", "running", ... ("completed" for log events)
	start, end  time.Time
	hasStart    bool
	hasEnd      bool
	exitCode    int
	hasExit     bool
	failed      bool // result "failure" or a failureInfo
	retries     int
	instances   int
	maxRetries  int
	wallClock   time.Duration
	hasMaxRetry bool
}

// taskFromList reads one task of az batch task list.
func taskFromList(n node) (taskRec, error) {
	r := taskRec{instances: 1}
	if _, ok := n.object(); !ok {
		return r, n.errorf("must be an object (a task), got %s", n.kind())
	}
	var err error
	if r.id, err = n.reqStr("id"); err != nil {
		return r, err
	}
	if u, _ := n.optStr("url"); u != "" { // .../jobs/JOB/tasks/TASK
		if _, rest, ok := strings.Cut(u, "/jobs/"); ok {
			r.job, _, _ = strings.Cut(rest, "/")
		}
	}
	if r.state, err = n.optStr("state"); err != nil {
		return r, err
	}
	r.state = strings.ToLower(r.state)
	if err := r.readCommon(n); err != nil {
		return r, err
	}
	if r.state == "" && r.hasEnd {
		r.state = "completed"
	}
	if r.state == "completed" && !r.hasEnd && !r.failed {
		return r, n.errorf("a completed task needs executionInfo.endTime")
	}
	return r, nil
}

// readCommon reads what both sources share: executionInfo, constraints
// and multiInstanceSettings.
func (r *taskRec) readCommon(n node) error {
	if c, ok := n.get("constraints"); ok {
		if m, ok := c.get("maxTaskRetryCount"); ok {
			v, err := m.count(-1, 1<<30)
			if err != nil {
				return err
			}
			r.maxRetries, r.hasMaxRetry = v, true
		}
		if w, ok := c.get("maxWallClockTime"); ok {
			d, err := w.isoDuration()
			if err != nil {
				return err
			}
			if d != unlimited && d < 100*365*24*time.Hour {
				r.wallClock = d
			}
		}
	}
	if m, ok := n.get("multiInstanceSettings"); ok {
		if k, ok := m.get("numberOfInstances"); ok {
			v, err := k.count(1, 100000)
			if err != nil {
				return err
			}
			r.instances = v
		}
	}
	ex, ok := n.get("executionInfo")
	if !ok {
		return nil
	}
	if s, ok := ex.get("startTime"); ok {
		t, err := s.timestamp()
		if err != nil {
			return err
		}
		r.start, r.hasStart = t, true
	}
	if e, ok := ex.get("endTime"); ok {
		t, err := e.timestamp()
		if err != nil {
			return err
		}
		r.end, r.hasEnd = t, true
		if r.hasStart && t.Before(r.start) {
			return e.errorf("ends before its startTime %s", r.start.Format(time.RFC3339))
		}
	}
	if c, ok := ex.get("exitCode"); ok {
		v, err := c.count(-1<<31, 1<<32)
		if err != nil {
			return err
		}
		r.exitCode, r.hasExit = v, true
	}
	if rc, ok := ex.get("retryCount"); ok {
		v, err := rc.count(0, 1<<30)
		if err != nil {
			return err
		}
		r.retries = v
	}
	if res, _ := ex.optStr("result"); strings.EqualFold(res, "failure") {
		r.failed = true
	}
	if ex.has("failureInfo") {
		r.failed = true
	}
	if r.hasExit && r.exitCode != 0 {
		r.failed = true
	}
	return nil
}

// diagnosticTasks reads Batch diagnostic log lines; lines of other events
// are skipped, and a task's last TaskCompleteEvent counts.
func diagnosticTasks(path string, data []byte, job string) (*Tasks, error) {
	byID := map[string]int{}
	var recs []taskRec
	lines := bytes.Split(data, []byte("\n"))
	for i, raw := range lines {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		doc, err := parseJSON(path, raw)
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Line = i + 1
				e.Col = 0
				e.Msg = "not a JSON object: " + e.Msg
			}
			return nil, err
		}
		doc.path = "$"
		lineErr := func(err error) error {
			if e, ok := err.(*Error); ok && e.Line == 0 {
				e.Line = i + 1
			}
			return err
		}
		op, err := doc.optStr("operationName")
		if err != nil {
			return nil, lineErr(err)
		}
		if op == "" {
			k := sniff(doc)
			if i == 0 && k != Unknown {
				return nil, wrongKind(path, k, "a task history (az batch task list, or Batch diagnostic log lines)")
			}
			return nil, lineErr(doc.errorf("not a Batch diagnostic log line: no operationName"))
		}
		if op != "TaskCompleteEvent" {
			continue
		}
		props, err := doc.req("properties")
		if err != nil {
			return nil, lineErr(err)
		}
		if s, ok := props.v.(string); ok { // some exports keep properties as a JSON string
			inner, err := parseJSON(path, []byte(s))
			if err != nil {
				return nil, lineErr(props.errorf("a string that is not JSON"))
			}
			inner.path = props.path
			props = inner
		}
		r := taskRec{instances: 1, state: "completed"}
		if r.job, err = props.reqStr("jobId"); err != nil {
			return nil, lineErr(err)
		}
		if r.id, err = props.reqStr("id"); err != nil {
			return nil, lineErr(err)
		}
		if err := r.readCommon(props); err != nil {
			return nil, lineErr(err)
		}
		if !r.hasEnd || !r.hasStart {
			return nil, lineErr(props.errorf("a TaskCompleteEvent needs executionInfo.startTime and endTime"))
		}
		key := r.job + "\x00" + r.id
		if j, ok := byID[key]; ok {
			recs[j] = r
			continue
		}
		byID[key] = len(recs)
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		return nil, errorf(path, "", "no TaskCompleteEvent lines in this log")
	}
	return summarize(path, DiagnosticLog, recs, job)
}

// summarize turns task records into a history: of one job's tasks, when
// job is not "".
func summarize(path string, kind Kind, recs []taskRec, job string) (*Tasks, error) {
	if job != "" {
		var mine []taskRec
		all := map[string]bool{}
		for _, r := range recs {
			all[r.job] = true
			if r.job == job {
				mine = append(mine, r)
			}
		}
		if len(mine) == 0 {
			return nil, errorf(path, "", "no tasks of job %q in it (jobs: %s)", job, list(keys(all), 8))
		}
		recs = mine
	}
	t := &Tasks{File: path, Kind: kind, NodesPerTask: 1}
	jobs := map[string]bool{}
	for _, r := range recs {
		for _, ts := range []time.Time{r.start, r.end} {
			if ts.After(t.Until) {
				t.Until = ts
			}
		}
	}
	for _, r := range recs {
		t.Tasks++
		if r.job != "" {
			jobs[r.job] = true
		}
		t.NodesPerTask = max(t.NodesPerTask, r.instances)
		if r.hasMaxRetry && (r.maxRetries == -1 || t.MaxRetries != -1 && r.maxRetries > t.MaxRetries) {
			t.MaxRetries = r.maxRetries
		}
		t.MaxWallClock = max(t.MaxWallClock, r.wallClock)
		switch {
		case r.state == "completed":
			t.Completed++
			t.Tries += 1 + r.retries
			t.Failed += r.retries
			if r.failed {
				t.Failed++
			} else if r.hasStart {
				t.Obs = append(t.Obs, fit.Obs{Value: r.end.Sub(r.start)})
			}
		case r.hasStart && !r.hasEnd: // running now: at least this long
			t.Obs = append(t.Obs, fit.Obs{Value: t.Until.Sub(r.start), Censored: true})
		}
	}
	if len(t.Obs) > MaxObservations {
		return nil, errorf(path, "", "%d task runs, more than the limit of %d", len(t.Obs), MaxObservations)
	}
	for j := range jobs {
		t.Jobs = append(t.Jobs, j)
	}
	sort.Strings(t.Jobs)
	if len(t.Obs) == 0 {
		return nil, errorf(path, "", "no task durations in it: %d tasks, %d completed, none succeeded with a start and end time", t.Tasks, t.Completed)
	}
	return t, nil
}

// describe is one line about the history, for the scenario's comments.
func (t *Tasks) describe() string {
	c := 0
	for _, o := range t.Obs {
		if o.Censored {
			c++
		}
	}
	s := fmt.Sprintf("%d tasks, %d completed, %d tries of which %d failed; %d run times", t.Tasks, t.Completed, t.Tries, t.Failed, len(t.Obs))
	if c > 0 {
		s += fmt.Sprintf(" (%d still running, censored at %s)", c, t.Until.Format(time.RFC3339))
	}
	return s
}
