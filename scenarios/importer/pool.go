package importer

import (
	"fmt"
	"strings"
	"time"
)

// Pool is an Azure Batch pool as its JSON describes it. Paths holds, for
// every field read from the file, its JSON path, keyed by the field's
// spotsim key ("vm_size", "target_dedicated_nodes", ...).
type Pool struct {
	File string
	Kind Kind // PoolData or PoolARM
	ID   string
	// VMSize as written ("standard_d4s_v5" is not renamed).
	VMSize                                  string
	TargetDedicatedNodes, TargetLowPriority int
	// AutoScale pools have a Formula and an Interval (Azure's default 15
	// min when the file gives none); their fixed targets are not read.
	AutoScale bool
	Formula   string
	Interval  time.Duration
	// ResizeTimeout (default 15 min) and NodeDeallocationOption (requeue,
	// terminate, taskcompletion, retaineddata; default requeue) are a fixed
	// pool's resize settings.
	ResizeTimeout          time.Duration
	NodeDeallocationOption string
	TaskSlotsPerNode       int
	NodeFillType           string // "spread" or "pack"
	// OS is "windows" or "linux" when the pool's image says which (its
	// nodeAgentSkuId, "batch.node.windows amd64" or "batch.node.ubuntu
	// 24.04"), "" when it does not.
	OS    string
	Paths map[string]string
}

// Azure Batch's documented defaults and limits (AZURE.md §1.7, §2.3, §2.5).
const (
	defaultInterval      = 15 * time.Minute
	defaultResizeTimeout = 15 * time.Minute
	minInterval          = 5 * time.Minute
	maxInterval          = 168 * time.Hour
	maxNodes             = 100000
)

// ReadPool reads an Azure Batch pool: the data plane's JSON (az batch pool
// show, the REST API) or the management plane's (an ARM or compiled Bicep
// Microsoft.Batch/batchAccounts/pools resource, or a template holding one).
func ReadPool(path string) (*Pool, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return poolFrom(path, data)
}

func poolFrom(path string, data []byte) (*Pool, error) {
	if !looksJSON(data) {
		if looksYAML(data) {
			return nil, errorf(path, "", "this looks like YAML, not a Batch pool's JSON (for an Azure ML compute, use spotsim import aml)")
		}
		return nil, errorf(path, "", "this does not look like a Batch pool: want the JSON of az batch pool show, or an ARM/Bicep pool resource")
	}
	doc, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	if res, ok := doc.get("resources"); ok { // a whole ARM template
		if doc, err = templatePool(res); err != nil {
			return nil, err
		}
	}
	if v, ok := doc.get("value"); ok && sniffRows(v) != Unknown { // a REST list
		doc = v
	}
	if _, ok := doc.v.([]any); ok && sniffRows(doc) != Unknown { // az batch pool list
		if doc, err = listedPool(doc); err != nil {
			return nil, err
		}
	}
	p := &Pool{File: path, Paths: map[string]string{}}
	switch k := sniff(doc); k {
	case PoolData:
		p.Kind = k
		err = p.readData(doc)
	case PoolARM:
		p.Kind = k
		err = p.readARM(doc)
	default:
		return nil, wrongKind(path, k, "a Batch pool")
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// templatePool finds the one pool resource of an ARM template.
func templatePool(res node) (node, error) {
	items, err := res.items()
	if err != nil {
		return node{}, err
	}
	var pools []node
	var names []string
	for _, it := range items {
		if t, _ := it.optStr("type"); strings.EqualFold(t, "Microsoft.Batch/batchAccounts/pools") {
			pools = append(pools, it)
			n, _ := it.optStr("name")
			names = append(names, fmt.Sprintf("%s (%s)", it.path, n))
		}
	}
	switch len(pools) {
	case 0:
		return node{}, res.errorf("no Microsoft.Batch/batchAccounts/pools resource in this template")
	case 1:
		return pools[0], nil
	}
	return node{}, res.errorf("%d pool resources; import one at a time (save it alone): %s", len(pools), strings.Join(names, ", "))
}

// listedPool takes the one pool of az batch pool list's output.
func listedPool(pools node) (node, error) {
	items, err := pools.items()
	if err != nil {
		return node{}, err
	}
	if len(items) == 1 {
		return items[0], nil
	}
	var ids []string
	for _, it := range items {
		id, _ := it.optStr("id")
		if id == "" {
			id, _ = it.optStr("name")
		}
		ids = append(ids, fmt.Sprintf("%s (%s)", it.path, id))
	}
	return node{}, pools.errorf("%d pools; import one at a time (az batch pool show --pool-id ID): %s", len(items), list(ids, 8))
}

// readData reads az batch pool show.
func (p *Pool) readData(n node) error {
	if err := p.readID(n, "id"); err != nil {
		return err
	}
	if err := p.readSize(n); err != nil {
		return err
	}
	if err := p.readSlots(n); err != nil {
		return err
	}
	if tsp, ok := n.get("taskSchedulingPolicy"); ok {
		if err := p.readFill(tsp); err != nil {
			return err
		}
	}
	p.readOS(n, "virtualMachineConfiguration.nodeAgentSkuId")
	if a, ok := n.get("enableAutoScale"); ok {
		on, err := a.boolean()
		if err != nil {
			return err
		}
		p.AutoScale = on
	}
	if p.AutoScale {
		return p.readAutoScale(n, "autoScaleFormula", "autoScaleEvaluationInterval")
	}
	return p.readFixed(n, "")
}

// readARM reads a Microsoft.Batch/batchAccounts/pools resource.
func (p *Pool) readARM(n node) error {
	if err := p.readID(n, "name"); err != nil {
		return err
	}
	props, err := n.req("properties")
	if err != nil {
		return err
	}
	if err := p.readSize(props); err != nil {
		return err
	}
	if err := p.readSlots(props); err != nil {
		return err
	}
	if tsp, ok := props.get("taskSchedulingPolicy"); ok {
		if err := p.readFill(tsp); err != nil {
			return err
		}
	}
	p.readOS(props, "deploymentConfiguration.virtualMachineConfiguration.nodeAgentSkuId")
	p.Interval, p.ResizeTimeout, p.NodeDeallocationOption = 0, defaultResizeTimeout, "requeue"
	ss, ok := props.get("scaleSettings")
	if !ok {
		return p.readFixed(props, "") // Azure: a pool without scaleSettings is fixed at 0 nodes
	}
	if as, ok := ss.get("autoScale"); ok {
		if ss.has("fixedScale") {
			return ss.errorf("has both fixedScale and autoScale; a pool has one")
		}
		p.AutoScale = true
		return p.readAutoScale(as, "formula", "evaluationInterval")
	}
	fs, err := ss.req("fixedScale")
	if err != nil {
		return err
	}
	return p.readFixed(fs, "nodeDeallocationOption")
}

// readOS tells the nodes' OS from the node agent SKU, when there is one.
func (p *Pool) readOS(n node, dotted string) {
	c, ok := n.at(dotted)
	if !ok {
		return
	}
	sku, err := c.str()
	if err != nil {
		return
	}
	switch sku = strings.ToLower(sku); {
	case strings.HasPrefix(sku, "batch.node.windows"):
		p.OS = "windows"
	case strings.HasPrefix(sku, "batch.node."):
		p.OS = "linux"
	default:
		return
	}
	p.Paths["os"] = c.path
}

func (p *Pool) readID(n node, key string) error {
	c, ok := n.get(key)
	if !ok {
		return &Error{File: n.file, Path: n.path + "." + key, Msg: "missing (the pool's name)"}
	}
	id, err := c.str()
	if err != nil {
		return err
	}
	if i := strings.LastIndexByte(id, '/'); i >= 0 && !strings.HasPrefix(id, "[") { // ARM: "account/pool"
		id = id[i+1:]
	}
	if strings.TrimSpace(id) == "" || strings.HasPrefix(id, "[") {
		return c.errorf("must be the pool's name, got %s (an ARM expression: export the deployed pool with az batch pool show)", c.kind())
	}
	p.ID = id
	p.Paths["name"] = c.path
	return nil
}

func (p *Pool) readSize(n node) error {
	c, err := n.req("vmSize")
	if err != nil {
		return err
	}
	s, err := c.str()
	if err != nil {
		return err
	}
	if !validSizeName(s) {
		return c.errorf("must be a VM size such as Standard_D4s_v5, got %s", c.kind())
	}
	p.VMSize = s
	p.Paths["vm_size"] = c.path
	return nil
}

func (p *Pool) readSlots(n node) error {
	p.TaskSlotsPerNode = 1
	for _, key := range []string{"taskSlotsPerNode", "maxTasksPerNode"} {
		if c, ok := n.get(key); ok {
			v, err := c.count(1, 256)
			if err != nil {
				return err
			}
			p.TaskSlotsPerNode = v
			p.Paths["task_slots_per_node"] = c.path
			return nil
		}
	}
	return nil
}

func (p *Pool) readFill(tsp node) error {
	c, ok := tsp.get("nodeFillType")
	if !ok {
		return nil
	}
	s, err := c.str()
	if err != nil {
		return err
	}
	switch f := strings.ToLower(strings.TrimSpace(s)); f {
	case "spread", "pack":
		p.NodeFillType = f
	default:
		return c.errorf("must be spread or pack, got %s", c.kind())
	}
	p.Paths["task_scheduling"] = c.path
	return nil
}

func (p *Pool) readAutoScale(n node, formulaKey, intervalKey string) error {
	c, ok := n.get(formulaKey)
	if !ok {
		return &Error{File: n.file, Path: n.path + "." + formulaKey, Msg: "missing: an autoscale pool needs its formula"}
	}
	f, err := c.str()
	if err != nil {
		return err
	}
	if strings.TrimSpace(f) == "" {
		return c.errorf("must not be empty")
	}
	p.Formula = f
	p.Paths["formula"] = c.path
	p.Interval = defaultInterval
	if c, ok := n.get(intervalKey); ok {
		d, err := c.isoDuration()
		if err != nil {
			return err
		}
		if d < minInterval || d > maxInterval {
			return c.errorf("must be between PT5M and PT168H (Azure's limits), got %s", c.kind())
		}
		p.Interval = d
		p.Paths["interval"] = c.path
	}
	return nil
}

// readFixed reads the fixed targets and resize settings; deallocKey is the
// member holding nodeDeallocationOption ("" on the data plane, which has
// none on the pool).
func (p *Pool) readFixed(n node, deallocKey string) error {
	for _, f := range []struct {
		key, toml string
		dst       *int
	}{
		{"targetDedicatedNodes", "target_dedicated_nodes", &p.TargetDedicatedNodes},
		{"targetLowPriorityNodes", "target_low_priority_nodes", &p.TargetLowPriority},
	} {
		c, ok := n.get(f.key)
		if !ok {
			continue
		}
		v, err := c.num()
		if err != nil || v < 0 || v != float64(int64(v)) || v > maxNodes {
			return c.errorf("must be a number >= 0 (a whole number of nodes, at most %d), got %s", maxNodes, c.kind())
		}
		*f.dst = int(v)
		p.Paths[f.toml] = c.path
	}
	p.ResizeTimeout = defaultResizeTimeout
	if c, ok := n.get("resizeTimeout"); ok {
		d, err := c.isoDuration()
		if err != nil {
			return err
		}
		if d < 5*time.Minute {
			return c.errorf("must be at least PT5M (Azure refuses less), got %s", c.kind())
		}
		p.ResizeTimeout = d
		p.Paths["resize_timeout"] = c.path
	}
	p.NodeDeallocationOption = "requeue"
	if deallocKey != "" {
		if c, ok := n.get(deallocKey); ok {
			s, err := c.str()
			if err != nil {
				return err
			}
			switch o := strings.ToLower(strings.TrimSpace(s)); o {
			case "requeue", "terminate", "taskcompletion", "retaineddata":
				p.NodeDeallocationOption = o
			default:
				return c.errorf("must be Requeue, Terminate, TaskCompletion or RetainedData, got %s", c.kind())
			}
			p.Paths["node_deallocation_option"] = c.path
		}
	}
	return nil
}

// validSizeName reports whether s looks like an Azure VM size name.
func validSizeName(s string) bool {
	if len(s) < 4 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// looksYAML reports whether data starts like a YAML mapping.
func looksYAML(data []byte) bool {
	s := strings.TrimSpace(string(data[:min(len(data), 4096)]))
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || l == "---" {
			continue
		}
		k, _, ok := strings.Cut(l, ":")
		return ok && k != "" && !strings.ContainsAny(k, " \t{[\",")
	}
	return false
}
