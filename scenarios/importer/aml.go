package importer

import (
	"strings"
	"time"
)

// AMLCompute is an Azure ML compute cluster (amlCompute YAML).
type AMLCompute struct {
	File, Name, Size             string
	LowPriority                  bool
	MinInstances, MaxInstances   int
	IdleTimeBeforeScaleDown      time.Duration
	Paths                        map[string]string // spotsim key -> YAML path
	Lines                        map[string]int    // YAML path -> line
	sizeDefault, idleDefault     bool
	minDefault, maxDefault, tier bool
}

// AMLDeployment is an Azure ML batch deployment (batchDeployment YAML).
type AMLDeployment struct {
	File, Name, Endpoint, Compute string
	InstanceCount                 int
	MaxConcurrencyPerInstance     int
	MiniBatchSize                 int
	MaxRetries                    int
	Timeout                       time.Duration
	ErrorThreshold                int
	OutputAction                  string
	Legacy                        bool              // settings at the root (older CLI v2 YAML)
	Paths                         map[string]string // spotsim key -> YAML path
	Lines                         map[string]int
}

// Azure ML's documented defaults (AZURE.md §4).
const (
	amlDefaultSize = "Standard_DS3_v2"
	amlDefaultIdle = 120 * time.Second
)

func readYAMLFile(path string) (node, map[string]int, error) {
	data, err := readFile(path)
	if err != nil {
		return node{}, nil, err
	}
	if looksJSON(data) {
		if doc, err := parseJSON(path, data); err == nil {
			if k := sniff(doc); k != Unknown {
				return node{}, nil, wrongKind(path, k, "an Azure ML YAML")
			}
		}
	}
	doc, lines, err := parseYAML(path, data)
	if err != nil {
		return node{}, nil, err
	}
	if _, ok := doc.object(); !ok {
		return node{}, nil, errorf(path, "", "this does not look like an Azure ML YAML (a mapping of settings)")
	}
	return doc, lines, nil
}

// amlKind tells a compute YAML from a deployment YAML.
func amlKind(n node) Kind {
	t, _ := n.optStr("type")
	schema, _ := n.optStr("$schema")
	switch {
	case strings.EqualFold(t, "amlcompute") || strings.Contains(strings.ToLower(schema), "amlcompute"):
		return AMLComputeYAML
	case n.has("endpoint_name") || strings.Contains(strings.ToLower(schema), "batchdeployment") || n.has("mini_batch_size") || n.has("settings"):
		return AMLDeploymentYAML
	}
	return Unknown
}

// ReadAMLCompute reads an amlCompute YAML (az ml compute create -f):
// name, size, tier, min_instances, max_instances,
// idle_time_before_scale_down (seconds), with Azure ML's defaults. The
// older SDK spellings (vm_size, vm_priority, min_nodes, max_nodes,
// idle_seconds_before_scaledown) are read too.
func ReadAMLCompute(path string) (*AMLCompute, error) {
	doc, lines, err := readYAMLFile(path)
	if err != nil {
		return nil, err
	}
	c, err := amlCompute(doc)
	if err != nil {
		return nil, withLine(err, lines)
	}
	c.Lines = lines
	return c, nil
}

func amlCompute(doc node) (*AMLCompute, error) {
	if k := amlKind(doc); k != AMLComputeYAML {
		if k == AMLDeploymentYAML {
			return nil, errorf(doc.file, "", "this looks like an Azure ML batch deployment, not a compute (give the compute YAML first: spotsim import aml COMPUTE.yml DEPLOYMENT.yml)")
		}
		return nil, wrongKind(doc.file, k, "an Azure ML compute YAML (type: amlcompute)")
	}
	c := &AMLCompute{File: doc.file, Size: amlDefaultSize, MaxInstances: 1, IdleTimeBeforeScaleDown: amlDefaultIdle, Paths: map[string]string{}}
	c.sizeDefault, c.idleDefault, c.minDefault, c.maxDefault, c.tier = true, true, true, true, true
	var err error
	if c.Name, err = doc.reqStr("name"); err != nil {
		return nil, err
	}
	c.Paths["name"] = "$.name"
	if s, ok := first(doc, "size", "vm_size"); ok {
		v, err := s.str()
		if err != nil {
			return nil, err
		}
		if !validSizeName(v) {
			return nil, s.errorf("must be a VM size such as Standard_DS3_v2, got %s", s.kind())
		}
		c.Size, c.sizeDefault = canonicalSize(v), false
		c.Paths["vm_size"] = s.path
	}
	if t, ok := first(doc, "tier", "vm_priority"); ok {
		v, err := t.str()
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(v), "_", "")) {
		case "dedicated":
		case "lowpriority":
			c.LowPriority = true
		default:
			return nil, t.errorf("must be dedicated or low_priority, got %s", t.kind())
		}
		c.tier = false
		c.Paths["tier"] = t.path
	}
	for _, f := range []struct {
		names []string
		key   string
		dst   *int
		def   *bool
	}{
		{[]string{"min_instances", "min_nodes"}, "min_instances", &c.MinInstances, &c.minDefault},
		{[]string{"max_instances", "max_nodes"}, "max_instances", &c.MaxInstances, &c.maxDefault},
	} {
		if n, ok := first(doc, f.names...); ok {
			v, err := n.count(0, maxNodes)
			if err != nil {
				return nil, err
			}
			*f.dst, *f.def = v, false
			c.Paths[f.key] = n.path
		}
	}
	if c.MaxInstances < 1 || c.MinInstances > c.MaxInstances {
		p := c.Paths["max_instances"]
		if p == "" {
			p = c.Paths["min_instances"]
		}
		return nil, &Error{File: doc.file, Path: p, Msg: "needs 0 <= min_instances <= max_instances and max_instances >= 1"}
	}
	if n, ok := first(doc, "idle_time_before_scale_down", "idle_seconds_before_scaledown"); ok {
		d, err := secondsOrDuration(n)
		if err != nil {
			return nil, err
		}
		c.IdleTimeBeforeScaleDown, c.idleDefault = d, false
		c.Paths["idle_time_before_scale_down"] = n.path
	}
	return c, nil
}

// first returns the first member present of several spellings.
func first(n node, keys ...string) (node, bool) {
	for _, k := range keys {
		if c, ok := n.get(k); ok {
			return c, true
		}
	}
	return node{}, false
}

// secondsOrDuration reads a number of seconds (Azure ML's YAML) or an ISO
// 8601 duration, >= 0.
func secondsOrDuration(n node) (time.Duration, error) {
	if s, ok := n.v.(string); ok && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "P") {
		return n.isoDuration()
	}
	x, err := n.num()
	if err != nil || x < 0 || x > 1e9 {
		return 0, n.errorf("must be a number of seconds >= 0, got %s", n.kind())
	}
	return time.Duration(x * float64(time.Second)), nil
}

// ReadAMLDeployment reads a batch deployment YAML (az ml batch-deployment
// create -f): resources.instance_count and settings.{mini_batch_size,
// max_concurrency_per_instance, retry_settings.{max_retries, timeout},
// error_threshold, output_action}, or the legacy form with the settings at
// the root, with Azure ML's defaults.
func ReadAMLDeployment(path string) (*AMLDeployment, error) {
	doc, lines, err := readYAMLFile(path)
	if err != nil {
		return nil, err
	}
	d, err := amlDeployment(doc)
	if err != nil {
		return nil, withLine(err, lines)
	}
	d.Lines = lines
	return d, nil
}

func amlDeployment(doc node) (*AMLDeployment, error) {
	if k := amlKind(doc); k != AMLDeploymentYAML {
		if k == AMLComputeYAML {
			return nil, errorf(doc.file, "", "this looks like an Azure ML compute, not a batch deployment (give the compute YAML first: spotsim import aml COMPUTE.yml DEPLOYMENT.yml)")
		}
		return nil, wrongKind(doc.file, k, "an Azure ML batch deployment YAML")
	}
	d := &AMLDeployment{File: doc.file, InstanceCount: 1, MaxConcurrencyPerInstance: 1, MiniBatchSize: 10, MaxRetries: 3, Timeout: 30 * time.Second, ErrorThreshold: -1, OutputAction: "append_row", Paths: map[string]string{}}
	var err error
	if d.Name, err = doc.reqStr("name"); err != nil {
		return nil, err
	}
	if d.Endpoint, err = doc.optStr("endpoint_name"); err != nil {
		return nil, err
	}
	if c, ok := doc.get("compute"); ok {
		if d.Compute, err = c.str(); err != nil {
			return nil, err
		}
		d.Paths["compute"] = c.path
	}
	settings, ok := doc.get("settings")
	if !ok {
		settings, d.Legacy = doc, true
	}
	if _, ok := settings.object(); !ok {
		return nil, settings.errorf("must be a mapping of settings, got %s", settings.kind())
	}
	ic, ok := doc.at("resources.instance_count")
	if !ok && d.Legacy {
		ic, ok = doc.get("instance_count")
	}
	if ok {
		if d.InstanceCount, err = ic.count(1, maxNodes); err != nil {
			return nil, err
		}
		d.Paths["instance_count"] = ic.path
	}
	for _, f := range []struct {
		key    string
		lo, hi int
		dst    *int
	}{
		{"mini_batch_size", 1, 1 << 30, &d.MiniBatchSize},
		{"max_concurrency_per_instance", 1, 256, &d.MaxConcurrencyPerInstance},
		{"error_threshold", -1, 1 << 30, &d.ErrorThreshold},
	} {
		if c, ok := settings.get(f.key); ok {
			if *f.dst, err = c.count(f.lo, f.hi); err != nil {
				return nil, err
			}
			d.Paths[f.key] = c.path
		}
	}
	if rs, ok := settings.get("retry_settings"); ok {
		if c, ok := rs.get("max_retries"); ok {
			if d.MaxRetries, err = c.count(0, 1<<20); err != nil {
				return nil, err
			}
			d.Paths["max_retries"] = c.path
		}
		if c, ok := rs.get("timeout"); ok {
			if d.Timeout, err = secondsOrDuration(c); err != nil {
				return nil, err
			}
			if d.Timeout <= 0 {
				return nil, c.errorf("must be > 0 seconds")
			}
			d.Paths["timeout"] = c.path
		}
	}
	if c, ok := settings.get("output_action"); ok {
		s, err := c.str()
		if err != nil {
			return nil, err
		}
		switch a := strings.ToLower(strings.TrimSpace(s)); a {
		case "append_row", "summary_only":
			d.OutputAction = a
		default:
			return nil, c.errorf("must be append_row or summary_only, got %s", c.kind())
		}
		d.Paths["output_action"] = c.path
	}
	return d, nil
}

// ComputeName is the compute a deployment names ("azureml:low-pri-cluster"
// is low-pri-cluster; "" when it names none).
func (d *AMLDeployment) ComputeName() string {
	s := strings.TrimSpace(d.Compute)
	s = strings.TrimPrefix(s, "azureml:")
	if i := strings.LastIndex(s, "/computes/"); i >= 0 { // an ARM id
		s = s[i+len("/computes/"):]
	}
	return s
}
