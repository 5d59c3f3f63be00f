package model

import (
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// Service is the Azure service that runs a pool. It decides what the pool
// may set and what happens to its evicted (low-priority, Spot) nodes; the
// rules and their sources are in docs/scenario.md ("Services").
type Service uint8

const (
	// Batch is an Azure Batch pool: its low-priority nodes are Spot nodes
	// evicted for capacity only (no max price), under an eviction policy the
	// service manages; an evicted node keeps its id and is recreated
	// through creating and starting, as Batch seeks its target again.
	Batch Service = iota
	// ML is an Azure ML compute cluster ([pools.cluster]): as Batch, and
	// the cluster scales itself.
	ML
	// ScaleSet is a VM scale set or standalone Spot VMs: a max price,
	// a choice of eviction policy, Spot Priority Mix and Try & Restore. An
	// evicted instance is not replaced unless Try & Restore restores it.
	ScaleSet
)

var serviceNames = [...]string{"batch", "aml", "scaleset"}

func (s Service) String() string {
	if int(s) < len(serviceNames) {
		return serviceNames[s]
	}
	return "unknown"
}

// ServiceNames lists the services by their scenario names.
func ServiceNames() []string { return append([]string(nil), serviceNames[:]...) }

// ServiceOf returns the service of a scenario name.
func ServiceOf(name string) (Service, bool) {
	for i, n := range serviceNames {
		if n == name {
			return Service(i), true
		}
	}
	return 0, false
}

// Describe names the service for people.
func (s Service) Describe() string {
	switch s {
	case ML:
		return "Azure ML compute cluster"
	case ScaleSet:
		return "VM scale set"
	}
	return "Azure Batch pool"
}

// Try & Restore's timeout: the azurerm provider's documented bounds and
// default (Azure's API reference gives none).
const (
	MinRestoreTimeout     = 15 * time.Minute
	MaxRestoreTimeout     = 2 * time.Hour
	DefaultRestoreTimeout = time.Hour
)

// PriorityMix is a scale set's Spot Priority Mix
// (priorityMixPolicy{baseRegularPriorityCount,
// regularPriorityPercentageAboveBase}).
type PriorityMix struct {
	BaseRegular int     // the first instances are regular
	Percent     float64 // of the instances above the base, the regular share, 0-100
}

// Regular returns how many of n instances the mix makes regular: all of
// them up to the base, and Percent % of those above it, rounded up.
func (m PriorityMix) Regular(n int) int {
	if n <= m.BaseRegular {
		return n
	}
	above := float64(n - m.BaseRegular)
	return m.BaseRegular + int(math.Ceil(above*m.Percent/100-1e-9))
}

// Targets splits a scale set of n instances into regular (dedicated) and
// Spot (low-priority) instances. It never rebalances: a scale-out from
// (reg, spot) only adds instances, choosing the priority of each so that
// the mix is kept for n as far as adding allows; a scale-in removes Spot
// instances first down to the mix's share, then regular ones.
func (m PriorityMix) Targets(n, reg, spot int) (dedicated, lowPriority int) {
	cur := reg + spot
	want := m.Regular(n)
	switch {
	case n > cur:
		add := min(max(0, want-reg), n-cur)
		return reg + add, spot + (n - cur - add)
	case n < cur:
		drop := min(max(0, spot-(n-want)), cur-n)
		return reg - (cur - n - drop), spot - drop
	}
	return reg, spot
}

// Eviction returns the pool's eviction policy in force: its own on a scale
// set (Deallocate unless it says Delete, as Azure's default for Spot VMs),
// Delete on Batch and ML, which recreate an evicted node (local data lost).
func (p *Pool) Eviction() EvictionPolicy {
	switch {
	case p.Service != ScaleSet:
		return Delete
	case p.Policy == ServicePolicy:
		return Deallocate
	}
	return p.Policy
}

// BillsBoot reports whether the pool's nodes are billed from their
// allocation, boot included. Batch and ML bill every boot, an evicted
// node's and each replacement's; a scale set follows billing.bill_boot.
func (p *Pool) BillsBoot(b Billing) bool { return p.Service != ScaleSet || !b.SkipBoot }

// Replaces reports whether the pool requests a new incarnation of an
// evicted node: Batch and ML always do (they seek their targets); a scale
// set only with Try & Restore.
func (p *Pool) Replaces() bool { return p.Service != ScaleSet || p.RestoreTimeout > 0 }

// initialTargets returns the nodes the pool asks for at t = 0, by kind.
func (p *Pool) initialTargets() (dedicated, lowPriority int) {
	if p.PriorityMix != nil {
		return p.PriorityMix.Targets(p.InstanceCount, 0, 0)
	}
	return p.TargetDedicatedNodes, p.TargetLowPriorityNodes
}

// service checks what the pool's service allows.
func (v *validator) service(k key, p *Pool, s *Scenario) {
	if int(p.Service) >= len(serviceNames) {
		v.bad(k.at("service"), "must be one of batch, aml, scaleset")
		return
	}
	svc := p.Service.Describe()
	switch {
	case p.Service == ML && p.Cluster == nil:
		v.add(k.at("service"), "an Azure ML compute cluster needs a [pools.cluster] table")
	case p.Service != ML && p.Cluster != nil:
		v.add(k.at("cluster"), "[pools.cluster] is an Azure ML compute cluster: it needs service = \"aml\"")
	}
	if p.Service != ScaleSet {
		why := "Azure Batch has no max price: its low-priority nodes are Spot nodes, billed at the variable Spot price (capped at pay-as-you-go) and evicted for capacity only"
		if p.Service == ML {
			why = "an Azure ML compute cluster has no max price: its low-priority nodes are Spot nodes, billed at the variable Spot price (capped at pay-as-you-go) and evicted for capacity only"
		}
		if p.MaxPrice != 0 {
			v.add(k.at("max_price"), "%s; max_price is for scale sets and Spot VMs (service = \"scaleset\")", why)
		}
		if p.Policy != ServicePolicy {
			v.add(k.at("preemption").at("eviction_policy"), "an %s chooses no eviction policy: the service manages it (Stop-Deallocate) and recreates an evicted node through creating and starting; eviction_policy is for scale sets and Spot VMs (service = \"scaleset\")", svc)
		}
		if p.PriorityMix != nil {
			v.add(k.at("priority_mix"), "Spot Priority Mix is a feature of VM scale sets (service = \"scaleset\"); an %s mixes by its targets, target_dedicated_nodes and target_low_priority_nodes", svc)
		}
		if p.InstanceCount != 0 {
			v.add(k.at("instance_count"), "is a scale set's size (service = \"scaleset\" with a [pools.priority_mix]); an %s has target_dedicated_nodes and target_low_priority_nodes", svc)
		}
		if p.RestoreTimeout != 0 {
			v.add(k.at("restore_timeout"), "Try & Restore is a feature of VM scale sets (service = \"scaleset\"); an %s always recreates its evicted nodes", svc)
		}
		if s.Billing.SkipBoot {
			v.add(key{}.at("billing").at("bill_boot"), "false, but pool %q is an %s, which bills every node from its allocation, boot included, evicted nodes and every replacement's boot too; bill_boot = false is for scale sets only", p.Name, svc)
		}
	}
	if m := p.PriorityMix; m != nil && p.Service == ScaleSet {
		mk := k.at("priority_mix")
		v.intIn(mk.at("base_regular_priority_count"), m.BaseRegular, 0, Limits.Nodes)
		v.floatIn(mk.at("regular_priority_percentage_above_base"), m.Percent, 0, 100)
		v.intIn(k.at("instance_count"), p.InstanceCount, 0, Limits.Nodes)
		for _, t := range []struct {
			key string
			n   int
		}{{"target_dedicated_nodes", p.TargetDedicatedNodes}, {"target_low_priority_nodes", p.TargetLowPriorityNodes}} {
			if t.n != 0 {
				v.add(k.at(t.key), "cannot be used with [pools.priority_mix]: instance_count is the scale set's size and the mix chooses each instance's priority")
			}
		}
	} else if p.InstanceCount != 0 && p.Service == ScaleSet {
		v.add(k.at("instance_count"), "needs a [pools.priority_mix] (without one, give target_dedicated_nodes and target_low_priority_nodes)")
	}
	if p.RestoreTimeout != 0 && p.Service == ScaleSet {
		v.durIn(k.at("restore_timeout"), p.RestoreTimeout, MinRestoreTimeout, MaxRestoreTimeout)
		if p.Autoscale != nil {
			v.add(k.at("restore_timeout"), "Try & Restore cannot be combined with autoscale (Azure refuses it): remove restore_timeout or [pools.autoscale]")
		}
	}
	if p.Service == ScaleSet && p.Policy > Deallocate {
		v.bad(k.at("preemption").at("eviction_policy"), "must be \"delete\" or \"deallocate\"")
	}
}

// DescribeSize says how the pool is sized, for people: its node counts, or what
// sizes it ("autoscaled (formula)").
func (p *Pool) DescribeSize() string {
	switch {
	case p.Autoscale != nil:
		return "autoscaled (formula)"
	case p.Cluster != nil:
		return fmt.Sprintf("%d-%d %s instance(s), scaled by the cluster", p.Cluster.MinInstances, p.Cluster.MaxInstances, p.Cluster.Tier)
	case p.Sizing != nil:
		return fmt.Sprintf("sized by policy %s (%d node(s))", p.Sizing.Kind, p.Sizing.Nodes)
	case p.PriorityMix != nil:
		d, l := p.initialTargets()
		return fmt.Sprintf("%d instance(s): %d regular + %d Spot (Priority Mix: base %d regular, %g %% regular above it)", p.InstanceCount, d, l, p.PriorityMix.BaseRegular, p.PriorityMix.Percent)
	}
	text := fmt.Sprintf("%d dedicated + %d low-priority node(s)", p.TargetDedicatedNodes, p.TargetLowPriorityNodes)
	if p.Service == ScaleSet {
		text = fmt.Sprintf("%d regular + %d Spot VM(s)", p.TargetDedicatedNodes, p.TargetLowPriorityNodes)
	}
	if n := len(p.Resizes); n > 0 {
		rz := p.Resizes[0]
		text += fmt.Sprintf(", then %d timed resize(s), the first at %s to %d + %d", n, dist.FormatDuration(rz.At), rz.TargetDedicatedNodes, rz.TargetLowPriorityNodes)
	}
	return text
}
