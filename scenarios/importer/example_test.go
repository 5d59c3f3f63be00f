package importer_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spotsim/spotsim/scenarios/importer"
)

func ExampleReadLifetimes() {
	dir, _ := os.MkdirTemp("", "lifetimes")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "lives.csv")
	os.WriteFile(path, []byte("node,lifetime,censored\na,7h30m,false\nb,36000,true\n"), 0o644)
	obs, err := importer.ReadLifetimes(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range obs {
		fmt.Println(o.Value, o.Censored)
	}
	// Output:
	// 7h30m0s false
	// 10h0m0s true
}

func ExampleParseISODuration() {
	for _, s := range []string{"PT15M", "P1DT2H", "0:05:00", "P10675199DT2H48M5.4775807S"} {
		d, _ := importer.ParseISODuration(s)
		fmt.Println(s, d)
	}
	// Output:
	// PT15M 15m0s
	// P1DT2H 26h0m0s
	// 0:05:00 5m0s
	// P10675199DT2H48M5.4775807S 2562047h47m16.854775807s
}

func ExampleSizeCores() {
	for _, s := range []string{"Standard_D4s_v5", "Standard_DS3_v2", "Standard_E8-4s_v5", "Standard_A4"} {
		n, ok := importer.SizeCores(s)
		fmt.Println(s, n, ok)
	}
	// Output:
	// Standard_D4s_v5 4 true
	// Standard_DS3_v2 4 true
	// Standard_E8-4s_v5 4 true
	// Standard_A4 0 false
}

func ExamplePickPrices() {
	rows, err := importer.ReadPrices("testdata/prices-d4s-page1.json", "testdata/prices-d4s-page2.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := importer.PickPrices(rows, "Standard_D4s_v5", "eastus", "linux", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Regular.Price, p.Regular.MeterName)
	fmt.Println(p.Spot.Price, p.Spot.MeterName, p.Spot.Start.Format("2006-01-02"))
	// Output:
	// 0.192 D4s v5
	// 0.02304 D4s v5 Spot 2026-02-01
}
