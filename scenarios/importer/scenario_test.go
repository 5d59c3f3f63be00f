package importer_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/scenarios"
	"github.com/spotsim/spotsim/scenarios/importer"
)

// load builds the scenario of the sources, writes it and its data files to
// a folder and loads it as spotsim run does.
func load(t *testing.T, src importer.Sources, opt importer.Options) (*model.Scenario, string) {
	t.Helper()
	dir := t.TempDir()
	if opt.Out == "" {
		opt.Out = filepath.Join(dir, "imported.toml")
	}
	res, err := importer.Build(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(opt.Out, res.TOML, 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(opt.Out)
	if err != nil {
		t.Fatalf("the imported scenario does not load: %v\n%s", err, res.TOML)
	}
	return sc, string(res.TOML)
}

// runShort runs one replication of the scenario and checks its work ends.
func runShort(t *testing.T, sc *model.Scenario) model.Result {
	t.Helper()
	r, err := model.Run(sc, 0, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Finished {
		t.Errorf("%s: replication 0 did not finish by the horizon", sc.Name)
	}
	return r
}

// must returns v, or panics (failing the test) on an error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestFixturesRun: every importer's fixture turns into a scenario that
// validates and runs.
func TestFixturesRun(t *testing.T) {
	td := func(s string) string { return filepath.Join("testdata", s) }
	for _, c := range []struct {
		name string
		src  func(t *testing.T) importer.Sources
		opt  importer.Options
		want []string // in the TOML
	}{
		{"data-plane pool", func(t *testing.T) importer.Sources {
			return importer.Sources{Pool: must(importer.ReadPool(td("pool-data.json")))}
		}, importer.Options{}, []string{`target_low_priority_nodes = 20          # ` + td("pool-data.json") + `: $.targetLowPriorityNodes`, "ASSUMED"}},
		{"ARM pool with prices", func(t *testing.T) importer.Sources {
			return importer.Sources{Pool: must(importer.ReadPool(td("pool-arm.json"))), Prices: must(importer.ReadPrices(td("prices-d8s.json")))}
		}, importer.Options{}, []string{`task_scheduling = "pack"`, `task_slots_per_node = 4`, `dedicated_price = 0.384`, `meterId d6e5f4a3-b2c1-5d0e-8f9a-b8c7d6e5f4a3 ("D8s v5 Spot"), effectiveStartDate 2026-02-01, eastus`}},
		{"autoscale template", func(t *testing.T) importer.Sources {
			return importer.Sources{Pool: must(importer.ReadPool(td("pool-arm-autoscale.json")))}
		}, importer.Options{}, []string{`interval = "5m"`, `$.resources[1].properties.scaleSettings.autoScale.formula`}},
		{"prices, spot, tasks, lifetimes", func(t *testing.T) importer.Sources {
			return importer.Sources{
				Pool:      must(importer.ReadPool(td("pool-data.json"))),
				Prices:    must(importer.ReadPrices(td("prices-d4s-page1.json"), td("prices-d4s-page2.json"))),
				Spot:      must(importer.ReadSpot(td("spot.json"))),
				Tasks:     must(importer.ReadTasks(td("task-list.json"))),
				Lifetimes: must(importer.ReadEvictions(td("lifetimes.csv"))),
			}
		}, importer.Options{Region: "eastus"}, []string{`low_priority_price = 0.02304`, `model = "trace"`, `lifetime = { dist = "weibull", shape = 0.736, scale = "10h34m" }`, `tasks = 60`, `failure_probability = 0.3288`, `max_task_retries = 2`, `the observed lifetimes take precedence`}},
		{"windows prices and a band", func(t *testing.T) importer.Sources {
			return importer.Sources{
				Pool:   must(importer.ReadPool(td("pool-data.json"))),
				Prices: must(importer.ReadPrices(td("prices-d4s-page1.json"))),
				Spot:   must(importer.ReadSpot(td("spot.json"))),
			}
		}, importer.Options{Region: "eastus", OS: "windows"}, []string{`dedicated_price = 0.376`, `low_priority_price = 0.20704`, `azure_eviction_rate = "5-10"`, `start = 2025-12-07T00:00:00Z`}},
		{"activity log and diagnostic log", func(t *testing.T) importer.Sources {
			return importer.Sources{
				Pool:      must(importer.ReadPool(td("pool-autoscale.json"))),
				Tasks:     must(importer.ReadTasks(td("batch-service.log"))),
				Lifetimes: must(importer.ReadEvictions(td("activity-log.json"))),
			}
		}, importer.Options{}, []string{`tasks = 52`, `(5 VMs, `, `task_slots_per_node = 2                  # ` + td("pool-autoscale.json") + `: $.maxTasksPerNode`}},
		{"account quotas", func(t *testing.T) importer.Sources {
			return importer.Sources{Pool: must(importer.ReadPool(td("pool-data.json"))), Account: must(importer.ReadAccount(td("account.json"), "standard_d4s_v5"))}
		}, importer.Options{}, []string{`dedicated_cores = 200 # ` + td("account.json") + `: $.dedicatedCoreQuotaPerVmFamily[1].coreQuota (standardDSv5Family, enforced per VM family)`, `low_priority_cores = 100`}},
		{"projected spot prices", func(t *testing.T) importer.Sources {
			return importer.Sources{Pool: must(importer.ReadPool(td("pool-data.json"))), Spot: must(importer.ReadSpot(td("spot-projected.json")))}
		}, importer.Options{}, []string{`$[0].spotPrices: 13 prices`}},
		{"aml, the documentation's YAML", func(t *testing.T) importer.Sources {
			return importer.Sources{
				Compute:    must(importer.ReadAMLCompute(td("aml/low-pri-cluster.yml"))),
				Deployment: must(importer.ReadAMLDeployment(td("aml/endpoint.yml"))),
				Prices:     must(importer.ReadPrices(td("prices-ds3.json"))),
				Spot:       must(importer.ReadSpot(td("spot.json"))),
			}
		}, importer.Options{Inputs: 300, TimePerInput: `"15s"`}, []string{`tier = "low_priority"`, `max_instances = 2`, `mini_batch_size = 2`, `timeout = "5m"`, `azure_eviction_rate = "0-5"`, `inputs = 300`, td("aml/endpoint.yml") + `:13: $.settings.mini_batch_size`}},
		{"aml, legacy deployment", func(t *testing.T) importer.Sources {
			return importer.Sources{
				Compute:    must(importer.ReadAMLCompute(td("aml/low-pri-cluster.yml"))),
				Deployment: must(importer.ReadAMLDeployment(td("aml/endpoint-legacy.yml"))),
				Prices:     must(importer.ReadPrices(td("prices-ds3.json"))),
			}
		}, importer.Options{}, []string{`max_concurrency_per_instance = 2        # ` + td("aml/endpoint-legacy.yml") + `:9: $.max_concurrency_per_instance`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, text := load(t, c.src(t), c.opt)
			squeeze := func(s string) string { return strings.Join(strings.Fields(s), " ") }
			for _, w := range c.want {
				if !strings.Contains(squeeze(text), squeeze(w)) {
					t.Errorf("the scenario lacks %q:\n%s", w, text)
				}
			}
			sc.Replications = 1
			runShort(t, sc)
		})
	}
}

// TestDocumentationYAML checks the Azure ML documentation's two files
// land on the model as they say.
func TestDocumentationYAML(t *testing.T) {
	sc, _ := load(t, importer.Sources{
		Compute:    must(importer.ReadAMLCompute("testdata/aml/low-pri-cluster.yml")),
		Deployment: must(importer.ReadAMLDeployment("testdata/aml/endpoint.yml")),
		Prices:     must(importer.ReadPrices("testdata/prices-ds3.json")),
	}, importer.Options{})
	p, j := sc.Pools[0], sc.Jobs[0]
	if p.Name != "low-pri-cluster" || p.Size.Name != "Standard_DS3_v2" || p.Size.Cores != 4 || p.Cluster == nil ||
		p.Cluster.Tier != model.LowPriority || p.Cluster.MinInstances != 0 || p.Cluster.MaxInstances != 2 || p.Cluster.IdleTimeBeforeScaleDown != 120*time.Second {
		t.Errorf("pool %+v cluster %+v", p, p.Cluster)
	}
	mb := j.MiniBatch
	if j.Name != "classifier-xgboost" || mb == nil || mb.Size != 2 || mb.InstanceCount != 2 || p.TaskSlotsPerNode != 2 || j.MaxTaskRetries != 3 || j.MaxWallClock != 300*time.Second {
		t.Errorf("job %+v mini-batch %+v slots %d", j, mb, p.TaskSlotsPerNode)
	}
	if p.Size.DedicatedPrice != 0.229 || p.Size.LowPriorityPrice != 0.0289 {
		t.Errorf("prices %v / %v", p.Size.DedicatedPrice, p.Size.LowPriorityPrice)
	}
}

// TestAutoscaleUnchanged: an imported pool's formula and interval reach
// the simulation as the pool's JSON has them, and the formula checks.
func TestAutoscaleUnchanged(t *testing.T) {
	for _, f := range []string{"testdata/pool-autoscale.json", "testdata/pool-arm-autoscale.json"} {
		p := must(importer.ReadPool(f))
		sc, _ := load(t, importer.Sources{Pool: p}, importer.Options{})
		a := sc.Pools[0].Autoscale
		if a == nil || a.Formula.Source() != p.Formula || a.Interval != 5*time.Minute {
			t.Fatalf("%s: autoscale %+v, want the formula of the file and 5m", f, a)
		}
		if _, err := autoscale.Parse(f, p.Formula); err != nil {
			t.Errorf("%s: formula check: %v", f, err)
		}
		sc.Replications = 1
		r := runShort(t, sc)
		if r.Autoscale.Evaluations == 0 {
			t.Errorf("%s: the formula never ran", f)
		}
	}
}

// TestExportRoundTrip: a pool exported from a built-in imports back to
// the same pool, in both shapes.
func TestExportRoundTrip(t *testing.T) {
	n := 0
	for _, name := range scenarios.BuiltinNames() {
		sc, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sc.Pools {
			if p.Service != model.Batch {
				if _, err := importer.ExportPool(p, importer.DataPlane); err == nil {
					t.Errorf("%s pool %s: a %v pool exported as a Batch pool", name, p.Name, p.Service)
				}
				continue
			}
			for _, shape := range []importer.Shape{importer.DataPlane, importer.ARM} {
				data, err := importer.ExportPool(p, shape)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(t.TempDir(), "pool.json")
				os.WriteFile(path, data, 0o644)
				ip := must(importer.ReadPool(path))
				back, _ := load(t, importer.Sources{Pool: ip}, importer.Options{})
				q := back.Pools[0]
				if err := samePool(p, q); err != "" {
					t.Errorf("%s pool %s, shape %d: %s", name, p.Name, shape, err)
				}
				n++
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d pools exported", n)
	}
}

// samePool compares what a Batch pool's JSON carries.
func samePool(a, b model.Pool) string {
	switch {
	case a.Name != b.Name, a.Size.Name != b.Size.Name, a.Size.Cores != b.Size.Cores:
		return "name or size differ: " + a.Name + " " + a.Size.Name + " / " + b.Name + " " + b.Size.Name
	case a.Size.DedicatedPrice != b.Size.DedicatedPrice || a.Size.LowPriorityPrice != b.Size.LowPriorityPrice:
		return "prices differ"
	case a.TargetDedicatedNodes != b.TargetDedicatedNodes || a.TargetLowPriorityNodes != b.TargetLowPriorityNodes:
		return "targets differ"
	case a.TaskSlotsPerNode != b.TaskSlotsPerNode || a.Scheduling != b.Scheduling:
		return "slots or fill type differ"
	case (a.Autoscale == nil) != (b.Autoscale == nil):
		return "autoscale on one side only"
	case a.Autoscale != nil && (a.Autoscale.Formula.Source() != b.Autoscale.Formula.Source() || a.Autoscale.Interval != b.Autoscale.Interval):
		return "formula or interval differ"
	}
	return ""
}

// TestZeroQuota: Azure's quota 0 allows nothing, spotsim's means no
// limit, so a pool that needs the cores stops the import.
func TestZeroQuota(t *testing.T) {
	text := edit(fixture("account.json"), `"lowPriorityCoreQuota": 100`, `"lowPriorityCoreQuota": 0`)
	path := filepath.Join(t.TempDir(), "account.json")
	os.WriteFile(path, []byte(text), 0o644)
	a := must(importer.ReadAccount(path, "Standard_D4s_v5"))
	_, err := importer.Build(importer.Sources{Pool: must(importer.ReadPool("testdata/pool-data.json")), Account: a}, importer.Options{})
	want := path + ": $.lowPriorityCoreQuota: 0: this account can allocate no low-priority (Spot) cores (and spotsim's quota 0 means no limit): ask Azure for a quota first"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	_, err = importer.ReadAccount("testdata/pool-data.json", "Standard_D4s_v5")
	if err == nil || !strings.HasSuffix(err.Error(), "this looks like an Azure Batch pool, not a Batch account (az batch account show)") {
		t.Errorf("wrong kind: %v", err)
	}
}

// TestPoolOS: a Windows pool's node agent SKU picks the Windows prices
// unless --os says otherwise.
func TestPoolOS(t *testing.T) {
	text := edit(fixture("pool-data.json"), `"nodeAgentSkuId": "batch.node.ubuntu 24.04"`, `"nodeAgentSkuId": "batch.node.windows amd64"`)
	path := filepath.Join(t.TempDir(), "win.json")
	os.WriteFile(path, []byte(text), 0o644)
	rows := must(importer.ReadPrices("testdata/prices-d4s-page1.json"))
	for _, c := range []struct {
		os   string
		want float64
	}{{"", 0.376}, {"linux", 0.192}, {"windows", 0.376}} {
		sc, _ := load(t, importer.Sources{Pool: must(importer.ReadPool(path)), Prices: rows}, importer.Options{Region: "eastus", OS: c.os})
		if got := sc.Pools[0].Size.DedicatedPrice; got != c.want {
			t.Errorf("--os %q: dedicated price %v, want %v", c.os, got, c.want)
		}
	}
	sc, _ := load(t, importer.Sources{Pool: must(importer.ReadPool("testdata/pool-data.json")), Prices: rows}, importer.Options{Region: "eastus"})
	if got := sc.Pools[0].Size.DedicatedPrice; got != 0.192 {
		t.Errorf("a Linux pool got %v", got)
	}
	_, err := importer.Build(importer.Sources{Pool: must(importer.ReadPool(path))}, importer.Options{Cores: 0, Region: "eastus", Meters: nil, OS: "", Out: "", Command: ""})
	if err != nil {
		t.Errorf("catalog size: %v", err)
	}
	q := filepath.Join(t.TempDir(), "q.json")
	os.WriteFile(q, []byte(edit(text, `"standard_d4s_v5"`, `"Standard_Q9_v9"`)), 0o644)
	_, err = importer.Build(importer.Sources{Pool: must(importer.ReadPool(q))}, importer.Options{})
	if want := q + ": $.vmSize: Standard_Q9_v9 is not in spotsim's built-in catalog: give its prices with --prices (Retail Prices API pages)"; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// TestSeveralJobs: a log of two jobs' tasks stops the import naming them;
// ReadJobTasks picks one.
func TestSeveralJobs(t *testing.T) {
	log := fixture("batch-service.log")
	lines := strings.SplitAfter(log, "\n")
	for i := 0; i < len(lines); i += 3 {
		lines[i] = strings.ReplaceAll(lines[i], `"jobId":"render-frames-0302"`, `"jobId":"render-frames-0303"`)
	}
	path := filepath.Join(t.TempDir(), "two.log")
	os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644)
	pool := must(importer.ReadPool("testdata/pool-data.json"))
	_, err := importer.Build(importer.Sources{Pool: pool, Tasks: must(importer.ReadTasks(path))}, importer.Options{})
	if want := path + ": tasks of 2 jobs (render-frames-0302, render-frames-0303): choose one with --job ID"; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	one := must(importer.ReadJobTasks(path, "render-frames-0303"))
	all := must(importer.ReadTasks(path))
	if len(one.Jobs) != 1 || one.Tasks == 0 || one.Tasks >= all.Tasks {
		t.Errorf("job 0303: %d of %d tasks, jobs %v", one.Tasks, all.Tasks, one.Jobs)
	}
	sc, _ := load(t, importer.Sources{Pool: pool, Tasks: one}, importer.Options{})
	if sc.Jobs[0].Name != "render-frames-0303" || sc.Jobs[0].Tasks != one.Tasks {
		t.Errorf("job %s of %d tasks", sc.Jobs[0].Name, sc.Jobs[0].Tasks)
	}
	if _, err := importer.ReadJobTasks(path, "nope"); err == nil || !strings.HasSuffix(err.Error(), `no tasks of job "nope" in it (jobs: render-frames-0302, render-frames-0303)`) {
		t.Errorf("unknown job: %v", err)
	}
}

// TestFormulaText: formulas reach the simulation byte for byte whatever
// their text: CRLF line ends, quotes, tabs, a trailing quote, non-ASCII
// comments.
func TestFormulaText(t *testing.T) {
	for _, f := range []string{
		"$TargetDedicatedNodes = 1;\r\n$TargetLowPriorityNodes = 2;\r\n",
		"// it's 'quoted' \"twice\"\n\t$TargetDedicatedNodes = 1; // end'",
		"// größer — ≥ 5 nœuds\n$TargetLowPriorityNodes = max(0, 5);",
		"$TargetDedicatedNodes = 3; // a \\ backslash and ''' three quotes",
	} {
		doc, _ := json.Marshal(map[string]any{"id": "p", "vmSize": "Standard_D4s_v5", "enableAutoScale": true, "autoScaleFormula": f, "autoScaleEvaluationInterval": "PT10M"})
		path := filepath.Join(t.TempDir(), "pool.json")
		os.WriteFile(path, doc, 0o644)
		sc, text := load(t, importer.Sources{Pool: must(importer.ReadPool(path))}, importer.Options{})
		if got := sc.Pools[0].Autoscale.Formula.Source(); got != f {
			t.Errorf("formula %q came back as %q from:\n%s", f, got, text)
		}
	}
}
