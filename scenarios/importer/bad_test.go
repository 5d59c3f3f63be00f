package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/scenarios/importer"
)

func readPool(p string) error    { _, err := importer.ReadPool(p); return err }
func readPrices(p string) error  { _, err := importer.ReadPrices(p); return err }
func readSpot(p string) error    { _, err := importer.ReadSpot(p); return err }
func readCompute(p string) error { _, err := importer.ReadAMLCompute(p); return err }
func readDeploy(p string) error  { _, err := importer.ReadAMLDeployment(p); return err }
func fixture(name string) string {
	b, _ := os.ReadFile(filepath.Join("testdata", name))
	return string(b)
}
func edit(s, old, new string) string { return strings.Replace(s, old, new, 1) }

// TestBadInput: one line naming the file and the JSON (or YAML) path, or
// the line; a file of another kind says what it looks like.
func TestBadInput(t *testing.T) {
	pool, arm, prices, spot := fixture("pool-data.json"), fixture("pool-arm.json"), fixture("prices-d4s-page1.json"), fixture("spot.json")
	for _, c := range []struct {
		name, file, text, want string
		read                   func(string) error
	}{
		{"prices as pool", "pool.json", prices, "pool.json: this looks like a Retail Prices page, not a Batch pool", readPool},
		{"spot as pool", "pool.json", spot, "pool.json: this looks like a Resource Graph SpotResources result, not a Batch pool", readPool},
		{"yaml as pool", "pool.json", fixture("aml/low-pri-cluster.yml"), "pool.json: this looks like YAML, not a Batch pool's JSON (for an Azure ML compute, use spotsim import aml)", readPool},
		{"pool as prices", "prices.json", pool, "prices.json: this looks like an Azure Batch pool, not a Retail Prices page", readPrices},
		{"task list as spot", "spot.json", fixture("task-list.json"), "spot.json: this looks like an az batch task list, not a Resource Graph SpotResources result", readSpot},
		{"negative target", "pool.json", edit(arm, `"targetDedicatedNodes": 1`, `"targetDedicatedNodes": -1`), "pool.json: $.properties.scaleSettings.fixedScale.targetDedicatedNodes: must be a number >= 0 (a whole number of nodes, at most 100000), got the number -1", readPool},
		{"target as text", "pool.json", edit(pool, `"targetLowPriorityNodes": 20`, `"targetLowPriorityNodes": "twenty"`), `pool.json: $.targetLowPriorityNodes: must be a number >= 0 (a whole number of nodes, at most 100000), got the string "twenty"`, readPool},
		{"no vmSize", "pool.json", edit(pool, `"vmSize": "standard_d4s_v5",`, ``), "pool.json: $.vmSize: missing", readPool},
		{"fill type", "pool.json", edit(arm, `"Pack"`, `"Dense"`), `pool.json: $.properties.taskSchedulingPolicy.nodeFillType: must be spread or pack, got the string "Dense"`, readPool},
		{"interval", "pool.json", edit(fixture("pool-autoscale.json"), `"0:05:00"`, `"PT2M"`), `pool.json: $.autoScaleEvaluationInterval: must be between PT5M and PT168H (Azure's limits), got the string "PT2M"`, readPool},
		{"interval syntax", "pool.json", edit(fixture("pool-autoscale.json"), `"0:05:00"`, `"5 minutes"`), `pool.json: $.autoScaleEvaluationInterval: invalid ISO 8601 duration "5 minutes" (it starts with P and gives a number and a unit; want such as PT15M or P1DT2H)`, readPool},
		{"no formula", "pool.json", edit(fixture("pool-arm-autoscale.json"), `"formula"`, `"formul"`), "pool.json: $.resources[1].properties.scaleSettings.autoScale.formula: missing: an autoscale pool needs its formula", readPool},
		{"deallocation", "pool.json", edit(arm, `"TaskCompletion"`, `"Later"`), `pool.json: $.properties.scaleSettings.fixedScale.nodeDeallocationOption: must be Requeue, Terminate, TaskCompletion or RetainedData, got the string "Later"`, readPool},
		{"pool list", "pool.json", "[" + pool + "," + edit(pool, `"id": "render-pool"`, `"id": "other"`) + "]", "pool.json: $: 2 pools; import one at a time (az batch pool show --pool-id ID): $[0] (render-pool), $[1] (other)", readPool},
		{"json syntax", "pool.json", "{\n  \"id\": \"a\",\n  \"vmSize\": Standard_D4s_v5\n}", "pool.json:3:13: JSON syntax: invalid character 'S' looking for beginning of value", readPool},
		{"negative price", "prices.json", edit(prices, `"retailPrice": 0.02304`, `"retailPrice": -0.02304`), "prices.json: $.Items[1].retailPrice: must be a price >= 0, got the number -0.02304", readPrices},
		{"price date", "prices.json", edit(prices, `"effectiveStartDate": "2026-02-01T00:00:00Z"`, `"effectiveStartDate": "01/02/2026"`), `prices.json: $.Items[1].effectiveStartDate: invalid date "01/02/2026" (want RFC 3339, such as 2026-03-02T10:15:00Z)`, readPrices},
		{"no meterId", "prices.json", edit(prices, `"meterId": "3d7c6a8b-9b52-5d4c-a1a4-1e2a52d1c0f7",`, ``), "prices.json: $.Items[0].meterId: missing", readPrices},
		{"negative spot price", "spot.json", edit(spot, `"priceUSD": 0.02304`, `"priceUSD": -1`), "spot.json: $.data[0].properties.spotPrices[0].priceUSD: must be a price >= 0, got the number -1", readSpot},
		{"spot date", "spot.json", edit(spot, `"effectiveDate": "2026-03-01T00:00:00Z"`, `"effectiveDate": "March 1"`), `spot.json: $.data[0].properties.spotPrices[0].effectiveDate: invalid date "March 1" (want RFC 3339, such as 2026-03-02T10:15:00Z)`, readSpot},
		{"spot no sku", "spot.json", edit(spot, `"sku": {
        "name": "Standard_D4s_v5"
      },`, ``), "spot.json: $.data[0].sku.name: missing", readSpot},
		{"deployment as compute", "c.yml", fixture("aml/endpoint.yml"), "c.yml: this looks like an Azure ML batch deployment, not a compute (give the compute YAML first: spotsim import aml COMPUTE.yml DEPLOYMENT.yml)", readCompute},
		{"compute tier", "c.yml", edit(fixture("aml/low-pri-cluster.yml"), "tier: low_priority", "tier: spot"), `c.yml:9: $.tier: must be dedicated or low_priority, got the string "spot"`, readCompute},
		{"compute max", "c.yml", edit(fixture("aml/low-pri-cluster.yml"), "max_instances: 2", "max_instances: -2"), `c.yml:7: $.max_instances: must be a whole number between 0 and 100000, got the number -2`, readCompute},
		{"compute yaml", "c.yml", "name: a\n  size: [\n", `c.yml:2: YAML syntax: mapping values are not allowed in this context`, readCompute},
		{"pool as compute", "c.yml", pool, "c.yml: this looks like an Azure Batch pool, not an Azure ML YAML", readCompute},
		{"deployment timeout", "d.yml", edit(fixture("aml/endpoint.yml"), "timeout: 300", "timeout: soon"), `d.yml:18: $.settings.retry_settings.timeout: must be a number of seconds >= 0, got the string "soon"`, readDeploy},
		{"deployment batch size", "d.yml", edit(fixture("aml/endpoint-legacy.yml"), "mini_batch_size: 2", "mini_batch_size: 0"), `d.yml:10: $.mini_batch_size: must be a whole number between 1 and 1073741824, got the number 0`, readDeploy},
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
			if strings.Contains(got, "\n") {
				t.Error("more than one line")
			}
		})
	}
}

// TestAmbiguousPrices: the import stops and names the candidates; --meter
// settles it.
func TestAmbiguousPrices(t *testing.T) {
	rows := must(importer.ReadPrices("testdata/prices-d4s-page1.json", "testdata/prices-d4s-page2.json", "testdata/prices-ds3.json"))
	for _, c := range []struct {
		name, size, region, os string
		meters                 []string
		want                   string
	}{
		{"two regions", "Standard_D4s_v5", "", "linux", nil, "prices of Standard_D4s_v5 for several regions (eastus, westeurope): choose one with --region"},
		{"no spot row", "Standard_D4s_v5", "westeurope", "linux", nil, ""},
		{"unknown size", "Standard_E2s_v5", "eastus", "linux", nil, "no Consumption rows of Virtual Machines for Standard_E2s_v5 in the price pages (sizes in them: Standard_D4s_v5, Standard_DS3_v2)"},
		{"region without rows", "Standard_DS3_v2", "westus2", "linux", nil, "no Linux rows for Standard_DS3_v2 in westus2 (Linux) in the price pages (regions with rows for it: eastus)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importer.PickPrices(rows, c.size, c.region, c.os, c.meters)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), c.want) {
				t.Errorf("got %v\nwant ...%s", err, c.want)
			}
		})
	}
	// Two Linux Spot meters for one size: named, then chosen.
	extra := fixture("prices-d4s-page2.json")
	extra = edit(extra, `"8a7b6c5d-4e3f-5a2b-9c1d-0e9f8a7b6c5d"`, `"0f0f0f0f-4e3f-5a2b-9c1d-0e9f8a7b6c5d"`)
	extra = edit(extra, `"armRegionName": "westeurope"`, `"armRegionName": "eastus"`)
	path := filepath.Join(t.TempDir(), "p2.json")
	os.WriteFile(path, []byte(extra), 0o644)
	rows = must(importer.ReadPrices("testdata/prices-d4s-page1.json", path))
	_, err := importer.PickPrices(rows, "Standard_D4s_v5", "eastus", "linux", nil)
	if err == nil || !strings.Contains(err.Error(), `2 Spot meters for Standard_D4s_v5 in eastus (Linux): 0f0f0f0f-4e3f-5a2b-9c1d-0e9f8a7b6c5d ("D4s v5 Spot", "Virtual Machines Dsv5 Series", 0.0276/h from 2026-02-01), 5a9b3c4d-0e1f-5a2b-8c3d-4e5f6a7b8c9d`) || !strings.HasSuffix(err.Error(), "choose one with --meter ID") {
		t.Errorf("got %v", err)
	}
	// A meter listed outside its primary region is not a second price.
	secondary := filepath.Join(t.TempDir(), "p3.json")
	os.WriteFile(secondary, []byte(strings.ReplaceAll(extra, `"isPrimaryMeterRegion": true`, `"isPrimaryMeterRegion": false`)), 0o644)
	if p, err := importer.PickPrices(must(importer.ReadPrices("testdata/prices-d4s-page1.json", secondary)), "Standard_D4s_v5", "eastus", "linux", nil); err != nil || p.Spot.Price != 0.02304 {
		t.Errorf("secondary meter: %+v, %v", p, err)
	}
	p, err := importer.PickPrices(rows, "Standard_D4s_v5", "eastus", "linux", []string{"0F0F0F0F-4e3f-5a2b-9c1d-0e9f8a7b6c5d"})
	if err != nil || p.Spot.Price != 0.0276 || p.Regular.Price != 0.192 {
		t.Errorf("--meter: %+v, %v", p, err)
	}
	// The Spot meter's latest effectiveStartDate counts, whatever the page order.
	rows = must(importer.ReadPrices("testdata/prices-d4s-page2.json", "testdata/prices-d4s-page1.json"))
	p, err = importer.PickPrices(rows, "Standard_D4s_v5", "eastus", "linux", nil)
	if err != nil || p.Spot.Price != 0.02304 {
		t.Errorf("latest price: %+v, %v", p, err)
	}
}

// TestNoSpotRow: only a legacy Low Priority meter is named, not used.
func TestNoSpotRow(t *testing.T) {
	text := fixture("prices-ds3.json")
	text = edit(text, `"meterName": "DS3 v2 Spot"`, `"meterName": "DS3 v2"`)
	text = edit(text, `"skuName": "DS3 v2 Spot"`, `"skuName": "DS3 v2 X"`)
	path := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(path, []byte(edit(text, `"retailPrice": 0.0289`, `"retailPrice": 0.0289`)), 0o644)
	rows := must(importer.ReadPrices(path))
	var spotless []importer.PriceRow
	for _, r := range rows {
		if r.MeterName != "DS3 v2" || r.Price == 0.229 {
			spotless = append(spotless, r)
		}
	}
	_, err := importer.PickPrices(spotless, "Standard_DS3_v2", "eastus", "linux", nil)
	want := `no Spot row for Standard_DS3_v2 in eastus (Linux) (candidates: legacy Low Priority meters b8c7d6e5-f4a3-5b2c-8d1e-0f9a8b7c6d5e ("DS3 v2 Low Priority", "Virtual Machines DSv2 Series", 0.0458/h from 2016-05-01); low-priority is Spot now, billed at the Spot rate: give --meter ID to use one anyway)`
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got  %v\nwant ...%s", err, want)
	}
	p, err := importer.PickPrices(spotless, "Standard_DS3_v2", "eastus", "linux", []string{"b8c7d6e5-f4a3-5b2c-8d1e-0f9a8b7c6d5e"})
	if err != nil || p.Spot.Price != 0.0458 {
		t.Errorf("--meter: %+v %v", p, err)
	}
}

// TestPoolList: az batch pool list's output of one pool imports it.
func TestPoolList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pools.json")
	os.WriteFile(path, []byte("["+fixture("pool-data.json")+"]"), 0o644)
	p := must(importer.ReadPool(path))
	if p.ID != "render-pool" || p.TargetLowPriority != 20 || p.Paths["target_low_priority_nodes"] != "$[0].targetLowPriorityNodes" {
		t.Errorf("got %+v", p)
	}
}
