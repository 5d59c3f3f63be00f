package importer

import (
	"sort"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/fit"
)

// Lifetimes are node lifetimes observed in an eviction history.
type Lifetimes struct {
	File string
	Kind Kind // ActivityLog or LifetimeCSV
	Obs  []fit.Obs
	// For an activity log: the VMs seen, the preemptions paired with a
	// start, those without one (the log starts after the VM did: left out),
	// and the end of the log, where lives still going are censored.
	VMs, Evictions, Unpaired int
	Until                    time.Time
}

// ReadLifetimes reads observed node lifetimes for `spotsim fit lifetimes`
// and `spotsim import --evictions`: an activity log (az monitor
// activity-log list) or a CSV with a lifetime column and an optional
// censored column. See ReadEvictions for what an activity log gives.
func ReadLifetimes(path string) ([]fit.Obs, error) {
	l, err := ReadEvictions(path)
	if err != nil {
		return nil, err
	}
	return l.Obs, nil
}

// ReadEvictions reads an eviction history. In an activity log, each VM's
// lives run from a start (Microsoft.Compute/virtualMachines/start/action,
// or its creation, .../write) to its preemption (.../preempt/action),
// which is an observed lifetime; a life ended by the user (deallocate,
// powerOff, delete) or still going at the log's last event is censored
// there. Resource ids are matched without regard to case, as Azure does.
func ReadEvictions(path string) (*Lifetimes, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return evictionsFrom(path, data)
}

func evictionsFrom(path string, data []byte) (*Lifetimes, error) {
	if !looksJSON(data) {
		obs, err := readObsCSV(path, data, "lifetime")
		if err != nil {
			return nil, err
		}
		return &Lifetimes{File: path, Kind: LifetimeCSV, Obs: obs}, nil
	}
	doc, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	return activityLifetimes(doc)
}

// vmEvent is one activity-log row about a VM.
type vmEvent struct {
	vm   string // lower-case resource id
	at   time.Time
	kind int // evStart, evPreempt, evStop
	row  int
}

const (
	evStart = iota
	evPreempt
	evStop
)

// vmOperation classifies an operation name; ok is false for one that
// neither starts nor ends a VM's life.
func vmOperation(op string) (int, bool) {
	op = strings.ToLower(op)
	if !strings.HasPrefix(op, "microsoft.compute/virtualmachines/") && !strings.HasPrefix(op, "microsoft.compute/virtualmachinescalesets/virtualmachines/") {
		return 0, false
	}
	switch {
	case strings.HasSuffix(op, "/preempt/action"):
		return evPreempt, true
	case strings.HasSuffix(op, "/start/action"), strings.HasSuffix(op, "/write"):
		return evStart, true
	case strings.HasSuffix(op, "/deallocate/action"), strings.HasSuffix(op, "/poweroff/action"), strings.HasSuffix(op, "/delete"):
		return evStop, true
	}
	return 0, false
}

func activityLifetimes(doc node) (*Lifetimes, error) {
	rowsNode := doc
	if k := sniff(doc); k != ActivityLog {
		return nil, wrongKind(doc.file, k, "an activity log or a CSV of lifetimes")
	}
	if v, ok := doc.get("value"); ok {
		rowsNode = v
	}
	rows, err := rowsNode.items()
	if err != nil {
		return nil, err
	}
	var evs []vmEvent
	var until time.Time
	for i, r := range rows {
		if _, ok := r.object(); !ok {
			return nil, r.errorf("must be an object, got %s", r.kind())
		}
		opNode, err := r.req("operationName")
		if err != nil {
			return nil, err
		}
		op, err := opNode.str()
		if err != nil { // az writes {value, localizedValue}
			v, err2 := opNode.req("value")
			if err2 != nil {
				return nil, err2
			}
			if op, err = v.str(); err != nil {
				return nil, err
			}
		}
		tsNode, err := r.req("eventTimestamp")
		if err != nil {
			return nil, err
		}
		at, err := tsNode.timestamp()
		if err != nil {
			return nil, err
		}
		if at.After(until) {
			until = at
		}
		kind, ok := vmOperation(op)
		if !ok {
			continue
		}
		if st, ok := r.get("status"); ok {
			s, _ := st.str()
			if s == "" {
				s, _ = st.optStr("value")
			}
			if strings.EqualFold(s, "Failed") {
				continue
			}
		}
		id, err := r.reqStr("resourceId")
		if err != nil {
			return nil, err
		}
		evs = append(evs, vmEvent{vm: strings.ToLower(id), at: at, kind: kind, row: i})
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].vm != evs[j].vm {
			return evs[i].vm < evs[j].vm
		}
		return evs[i].at.Before(evs[j].at)
	})
	l := &Lifetimes{File: doc.file, Kind: ActivityLog, Until: until}
	type life struct {
		end  time.Time
		cens bool
		d    time.Duration
	}
	var lives []life
	for i := 0; i < len(evs); {
		vm := evs[i].vm
		l.VMs++
		var start time.Time
		open := false
		for ; i < len(evs) && evs[i].vm == vm; i++ {
			e := evs[i]
			switch {
			case e.kind == evStart && !open:
				start, open = e.at, true
			case e.kind == evPreempt && open:
				lives = append(lives, life{end: e.at, d: e.at.Sub(start)})
				l.Evictions++
				open = false
			case e.kind == evPreempt: // a second row of the same preemption, or one before the log's first start
				if i == 0 || evs[i-1].vm != vm || evs[i-1].kind != evPreempt {
					l.Unpaired++
				}
			case e.kind == evStop && open:
				lives = append(lives, life{end: e.at, d: e.at.Sub(start), cens: true})
				open = false
			}
		}
		if open {
			lives = append(lives, life{end: until, d: until.Sub(start), cens: true})
		}
	}
	if len(lives) == 0 {
		return nil, errorf(doc.file, "", "no VM lives in it: want rows whose operationName is Microsoft.Compute/virtualMachines/start/action (or .../write) and .../preempt/action")
	}
	if len(lives) > MaxObservations {
		return nil, errorf(doc.file, "", "%d lifetimes, more than the limit of %d", len(lives), MaxObservations)
	}
	sort.SliceStable(lives, func(i, j int) bool { return lives[i].end.Before(lives[j].end) })
	for _, lv := range lives {
		l.Obs = append(l.Obs, fit.Obs{Value: lv.d, Censored: lv.cens})
	}
	return l, nil
}
