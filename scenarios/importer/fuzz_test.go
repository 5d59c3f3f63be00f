package importer

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// fuzzSeeds adds the fixtures and a few small inputs to a fuzz target's
// corpus (testdata/fuzz/NAME holds the inputs fuzzing found worth keeping;
// go test replays both).
func fuzzSeeds(f *testing.F, files []string, extra ...string) {
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkErr fails on an error that is not an *Error: every bad input must
// name the file and the place.
func checkErr(t *testing.T, err error) {
	var ie *Error
	if err != nil && !errors.As(err, &ie) {
		t.Fatalf("error %T is not an *importer.Error: %v", err, err)
	}
}

func FuzzEvictions(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/activity-log.json", "testdata/lifetimes.csv"},
		`[{"operationName":"Microsoft.Compute/virtualMachines/start/action","resourceId":"a","eventTimestamp":"2026-03-02T00:00:00Z"}]`,
		`{"value":[{"operationName":{"value":"Microsoft.Compute/virtualMachines/preempt/action"},"resourceId":"a","eventTimestamp":"2026-03-02T00:00:00Z"}]}`,
		"lifetime,censored\n1h,true\n", "[", "{}", "null")
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := evictionsFrom("in", data)
		checkErr(t, err)
		if err == nil {
			for _, o := range l.Obs {
				if o.Value < 0 {
					t.Fatalf("negative lifetime %v", o.Value)
				}
			}
		}
	})
}

func FuzzTasks(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/task-list.json", "testdata/batch-service.log"},
		`[{"id":"a","state":"running","executionInfo":{"startTime":"2026-03-02T00:00:00Z"}}]`,
		`{"category":"ServiceLog","operationName":"TaskCompleteEvent","properties":"{\"jobId\":\"j\",\"id\":\"a\"}"}`,
		"duration\n10m\n", "[]", "{\n}\n{\n}")
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, err := durationsFrom("in", data)
		checkErr(t, err)
		for _, o := range obs {
			if o.Value < 0 {
				t.Fatalf("negative duration %v", o.Value)
			}
		}
	})
}

func FuzzPool(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/pool-data.json", "testdata/pool-autoscale.json", "testdata/pool-arm.json", "testdata/pool-arm-autoscale.json", "testdata/prices-d8s.json"},
		`{"id":"p","vmSize":"Standard_D4s_v5","enableAutoScale":true,"autoScaleFormula":"$TargetDedicatedNodes=1;","autoScaleEvaluationInterval":"P1DT2H"}`,
		`{"type":"Microsoft.Batch/batchAccounts/pools","name":"a/b","properties":{"vmSize":"x","scaleSettings":{}}}`,
		`{"resources":[]}`, `{"id":"p","targetDedicatedNodes":1e400}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := poolFrom("in", data)
		checkErr(t, err)
		if err != nil {
			return
		}
		if p.TargetDedicatedNodes < 0 || p.TargetLowPriority < 0 || p.TaskSlotsPerNode < 1 || p.AutoScale && (p.Interval < minInterval || p.Formula == "") {
			t.Fatalf("accepted a bad pool: %+v", p)
		}
		// Whatever was accepted writes a scenario or says why not.
		if _, err := Build(Sources{Pool: p}, Options{}); err != nil && strings.Contains(err.Error(), "panic") {
			t.Fatal(err)
		}
	})
}

func FuzzPrices(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/prices-d4s-page1.json", "testdata/prices-d4s-page2.json", "testdata/prices-ds3.json"},
		`{"BillingCurrency":"USD","Items":[{"retailPrice":"1"}],"NextPageLink":null}`, `[{"armSkuName":"a","retailPrice":1}]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := pricesFrom("in", data)
		checkErr(t, err)
		for _, r := range rows {
			if r.Price < 0 {
				t.Fatalf("negative price accepted: %+v", r)
			}
		}
		if err == nil && len(rows) > 0 {
			_, err := PickPrices(rows, rows[0].SkuArmName, "", "linux", nil)
			checkErr(t, err)
		}
	})
}

func FuzzSpot(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/spot.json", "testdata/spot-projected.json"},
		`{"data":[{"type":"microsoft.compute/skuspotevictionrate/location","sku":{"name":"a"},"location":"b","properties":{"evictionRate":"20+"}}]}`,
		`[{"spotPrices":[{"timestamp":"2026-01-01T00:00:00Z","unitPrice":"0.5"}],"skuName":"a","location":"b","osType":"Linux"}]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := spotFrom("in", data)
		checkErr(t, err)
		if err != nil {
			return
		}
		for _, h := range s.Prices {
			if len(h.Points) == 0 {
				t.Fatal("an empty history accepted")
			}
			for i, p := range h.Points {
				if p.Price < 0 || i > 0 && p.At.Before(h.Points[i-1].At) {
					t.Fatalf("bad history accepted: %+v", h)
				}
			}
		}
	})
}

func FuzzAML(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/aml/low-pri-cluster.yml", "testdata/aml/endpoint.yml", "testdata/aml/endpoint-legacy.yml"},
		"type: amlcompute\nname: a\nmax_instances: &x 3\nmin_instances: *x\n", "name: [a\n", "settings: 3\nname: b\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, lines, err := parseYAML("in", data)
		checkErr(t, err)
		if err != nil {
			return
		}
		if _, ok := doc.object(); !ok {
			return
		}
		_, err = amlCompute(doc)
		checkErr(t, withLine(err, lines))
		_, err = amlDeployment(doc)
		checkErr(t, withLine(err, lines))
	})
}

func FuzzAccount(f *testing.F) {
	fuzzSeeds(f, []string{"testdata/account.json"}, `{"properties":{"dedicatedCoreQuota":1,"lowPriorityCoreQuota":"2"}}`,
		`{"dedicatedCoreQuota":1,"lowPriorityCoreQuota":2,"dedicatedCoreQuotaPerVMFamilyEnforced":true,"dedicatedCoreQuotaPerVMFamily":[{"name":"standardDSv5Family"}]}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := accountFrom("in", data, "Standard_D4s_v5")
		checkErr(t, err)
		if err == nil && (a.Dedicated < 0 || a.LowPriority < 0) {
			t.Fatalf("negative quota accepted: %+v", a)
		}
	})
}
