package importer

import (
	"fmt"
	"strings"
)

// Account holds a Batch account's core quotas (az batch account show).
type Account struct {
	File string
	// Dedicated and LowPriority are the vCPU quotas that apply to the pool's
	// size: the account's, or its VM family's when the account enforces
	// quotas per family (Family names it, FamilyPath its JSON path).
	Dedicated, LowPriority         int
	DedicatedPath, LowPriorityPath string
	Family, FamilyPath             string
	// FamilyMissing is set when the account enforces per-family quotas
	// but lists none for the size's family (the account's quota is used).
	FamilyMissing bool
}

// ReadAccount reads the quotas of az batch account show (or the ARM
// Microsoft.Batch/batchAccounts resource, which has them under properties):
// dedicatedCoreQuota, lowPriorityCoreQuota and, when
// dedicatedCoreQuotaPerVMFamilyEnforced, the size's entry of
// dedicatedCoreQuotaPerVMFamily.
func ReadAccount(path, size string) (*Account, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return accountFrom(path, data, size)
}

func accountFrom(path string, data []byte, size string) (*Account, error) {
	if !looksJSON(data) {
		return nil, errorf(path, "", "this does not look like a Batch account: want the JSON of az batch account show")
	}
	doc, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	n := doc
	if p, ok := doc.get("properties"); ok && p.has("dedicatedCoreQuota") {
		n = p
	}
	if !n.has("dedicatedCoreQuota") && !n.has("lowPriorityCoreQuota") {
		if k := sniff(doc); k != Unknown {
			return nil, wrongKind(path, k, "a Batch account (az batch account show)")
		}
		return nil, &Error{File: path, Path: n.path + ".dedicatedCoreQuota", Msg: "missing: want the JSON of az batch account show"}
	}
	a := &Account{File: path}
	for _, f := range []struct {
		key  string
		dst  *int
		path *string
	}{{"dedicatedCoreQuota", &a.Dedicated, &a.DedicatedPath}, {"lowPriorityCoreQuota", &a.LowPriority, &a.LowPriorityPath}} {
		c, err := n.req(f.key)
		if err != nil {
			return nil, err
		}
		if *f.dst, err = c.count(0, 1<<30); err != nil {
			return nil, err
		}
		*f.path = c.path
	}
	if e, ok := n.get("dedicatedCoreQuotaPerVMFamilyEnforced"); ok {
		on, err := e.boolean()
		if err != nil {
			return nil, err
		}
		if on {
			if err := a.family(n, size); err != nil {
				return nil, err
			}
		}
	}
	return a, nil
}

// family takes the dedicated quota of the size's VM family.
func (a *Account) family(n node, size string) error {
	a.Family = vmFamily(size)
	list, ok := n.get("dedicatedCoreQuotaPerVMFamily")
	if !ok {
		a.FamilyMissing = true
		return nil
	}
	items, err := list.items()
	if err != nil {
		return err
	}
	for _, it := range items {
		name, err := it.reqStr("name")
		if err != nil {
			return err
		}
		if !strings.EqualFold(name, a.Family) {
			continue
		}
		c, err := it.req("coreQuota")
		if err != nil {
			return err
		}
		if a.Dedicated, err = c.count(0, 1<<30); err != nil {
			return err
		}
		a.DedicatedPath, a.FamilyPath = c.path, it.path
		return nil
	}
	a.FamilyMissing = true
	return nil
}

// vmFamily names a size's quota family as Azure does
// (Standard_D4s_v5: standardDSv5Family, Standard_DS3_v2: standardDSv2Family,
// Standard_D4ads_v5: standardDADSv5Family, Standard_NC24ads_A100_v4:
// standardNCADSA100v4Family).
func vmFamily(size string) string {
	m := sizeRE.FindStringSubmatch(normalizeSize(size))
	if m == nil {
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(strings.ToLower(m[5]), "_"), "_")
	version := parts[len(parts)-1]
	middle := strings.ToUpper(strings.Join(parts[:len(parts)-1], "")) // NC24ads_A100_v4: A100
	return fmt.Sprintf("standard%s%s%s%sFamily", strings.ToUpper(m[1]), strings.ToUpper(m[4]), middle, version)
}
