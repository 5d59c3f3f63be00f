package importer

import (
	"errors"
	"os"
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
