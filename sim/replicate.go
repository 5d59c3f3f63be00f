package sim

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Replicate calls run(i) for i in [0, n) on up to workers goroutines and
// returns the results in index order, so the output never depends on the
// worker count or on scheduling. workers <= 0 means one per CPU. If any call
// returns an error, Replicate returns the error of the lowest index that
// failed (again independent of scheduling) once the started calls finish.
func Replicate[T any](n, workers int, run func(i int) (T, error)) ([]T, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	out := make([]T, n)
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				out[i], errs[i] = run(i)
				if errs[i] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
