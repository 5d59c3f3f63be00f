package importer

import (
	"fmt"
	"strings"
)

// Kind is the kind of an input file, as detected from its content.
type Kind int

const (
	Unknown           Kind = iota
	PoolData               // az batch pool show (data plane)
	PoolARM                // an ARM/Bicep Microsoft.Batch/batchAccounts/pools resource
	RetailPrices           // a Retail Prices API page
	SpotResources          // a Resource Graph SpotResources query result
	TaskList               // az batch task list
	DiagnosticLog          // Batch diagnostic log lines (one JSON object a line)
	ActivityLog            // az monitor activity-log list
	AMLComputeYAML         // an Azure ML amlCompute YAML
	AMLDeploymentYAML      // an Azure ML batch deployment YAML
	LifetimeCSV            // a CSV with a lifetime (or duration) column
)

var kindNames = [...]string{
	Unknown:           "something else",
	PoolData:          "an Azure Batch pool (az batch pool show)",
	PoolARM:           "an Azure Batch pool (ARM/Bicep)",
	RetailPrices:      "a Retail Prices page",
	SpotResources:     "a Resource Graph SpotResources result",
	TaskList:          "an az batch task list",
	DiagnosticLog:     "a Batch diagnostic log",
	ActivityLog:       "an activity log (az monitor activity-log list)",
	AMLComputeYAML:    "an Azure ML compute YAML",
	AMLDeploymentYAML: "an Azure ML batch deployment YAML",
	LifetimeCSV:       "a CSV of durations",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// sniff says what a decoded JSON document looks like.
func sniff(n node) Kind {
	if m, ok := n.object(); ok {
		switch {
		case n.has("Items") && (n.has("BillingCurrency") || n.has("NextPageLink") || n.has("Count")):
			return RetailPrices
		case n.has("data") && !n.has("properties"): // az graph query's envelope
			d, _ := n.get("data")
			return sniffRows(d)
		case n.has("value") && len(m) <= 3: // a REST list envelope
			d, _ := n.get("value")
			return sniffRows(d)
		}
		t, _ := n.optStr("type")
		switch {
		case strings.EqualFold(t, "Microsoft.Batch/batchAccounts/pools"):
			return PoolARM
		case strings.HasPrefix(strings.ToLower(t), "microsoft.compute/skuspot"):
			return SpotResources
		}
		if p, ok := n.get("properties"); ok && (p.has("scaleSettings") || p.has("vmSize")) {
			return PoolARM
		}
		if (n.has("vmSize") || n.has("id")) && (n.has("targetDedicatedNodes") || n.has("enableAutoScale") || n.has("targetLowPriorityNodes") || n.has("allocationState") || n.has("autoScaleFormula") || n.has("maxTasksPerNode") || n.has("taskSlotsPerNode")) {
			return PoolData
		}
		if n.has("executionInfo") || n.has("id") && n.has("commandLine") {
			return TaskList
		}
		if op, _ := n.optStr("operationName"); op != "" && n.has("category") {
			return DiagnosticLog
		}
		if n.has("eventTimestamp") {
			return ActivityLog
		}
		return Unknown
	}
	return sniffRows(n)
}

// sniffRows looks at the first element of an array.
func sniffRows(n node) Kind {
	rows, err := n.items()
	if err != nil || len(rows) == 0 {
		return Unknown
	}
	r := rows[0]
	if _, ok := r.object(); !ok {
		return Unknown
	}
	t, _ := r.optStr("type")
	switch {
	case strings.HasPrefix(strings.ToLower(t), "microsoft.compute/skuspot"), r.has("spotPrices"), r.has("evictionRate"):
		return SpotResources
	case r.has("executionInfo"), r.has("id") && (r.has("commandLine") || r.has("constraints")):
		return TaskList
	case r.has("eventTimestamp"):
		return ActivityLog
	case r.has("armSkuName") && r.has("retailPrice"):
		return RetailPrices
	}
	if k := sniff(r); k == PoolData || k == PoolARM {
		return k
	}
	return Unknown
}

// wrongKind is the error for a file of another kind than the one wanted.
func wrongKind(file string, got Kind, want string) *Error {
	if got == Unknown {
		return errorf(file, "", "this does not look like %s", want)
	}
	return errorf(file, "", "this looks like %s, not %s", got.what(), want)
}

// what is the kind's short name, for "this looks like X, not Y".
func (k Kind) what() string {
	s := k.String()
	if i := strings.Index(s, " ("); i > 0 {
		return s[:i]
	}
	return s
}
