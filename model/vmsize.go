package model

import (
	"fmt"
	"sort"
)

// VMSize is a virtual machine size with its hourly prices.
type VMSize struct {
	Name             string
	Cores            int
	MemoryGiB        float64
	DedicatedPrice   float64 // $ per node-hour, pay-as-you-go
	LowPriorityPrice float64 // $ per node-hour, low-priority / spot
	// DedicatedSource and LowPrioritySource say where each price came from:
	// spotsim's built-in catalog, or the scenario file and line that set it.
	DedicatedSource, LowPrioritySource string
}

// CatalogSource is the PriceSource of the built-in catalog. Its figures
// are illustrative: the approximate table of an article, for no stated
// region; a real study takes its region's prices from the Azure Retail
// Prices API (spotsim import --prices).
const CatalogSource = "built-in catalog: illustrative figures, region unstated (the approximate table of the article \"How to Leverage Azure Spot VMs for Cost-Effective Batch Processing Workloads\"; Linux, USD); for your region's prices use the Azure Retail Prices API"

// builtinSizes are the illustrative figures of that article's price table
// (pay-as-you-go / Spot, $ per hour).
var builtinSizes = []VMSize{
	{Name: "Standard_D4s_v5", Cores: 4, MemoryGiB: 16, DedicatedPrice: 0.192, LowPriorityPrice: 0.019},
	{Name: "Standard_D8s_v5", Cores: 8, MemoryGiB: 32, DedicatedPrice: 0.384, LowPriorityPrice: 0.042},
	{Name: "Standard_F4s_v2", Cores: 4, MemoryGiB: 8, DedicatedPrice: 0.169, LowPriorityPrice: 0.034},
	{Name: "Standard_E4s_v5", Cores: 4, MemoryGiB: 32, DedicatedPrice: 0.252, LowPriorityPrice: 0.028},
}

// Catalog maps VM size names to sizes.
type Catalog map[string]VMSize

// BuiltinCatalog returns a fresh copy of the built-in catalog.
func BuiltinCatalog() Catalog {
	c := make(Catalog, len(builtinSizes))
	for _, s := range builtinSizes {
		s.DedicatedSource, s.LowPrioritySource = CatalogSource, CatalogSource
		c[s.Name] = s
	}
	return c
}

// Lookup returns the size named name, or an error listing the known ones.
func (c Catalog) Lookup(name string) (VMSize, error) {
	if s, ok := c[name]; ok {
		return s, nil
	}
	return VMSize{}, fmt.Errorf("unknown VM size %q (known: %v; add it with a [[vm_sizes]] table)", name, c.Names())
}

// Names returns the size names, sorted.
func (c Catalog) Names() []string {
	out := make([]string, 0, len(c))
	for n := range c {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
