package model

// DefaultQuotas are Azure Batch's documented default core quotas per Batch
// account ("0-900" dedicated and "0-100" low-priority vCPUs: the top of
// each range; some subscriptions get less). A scenario that does not set a
// quota is not capped by it: the report warns instead when the pool asks
// for more (QuotaFits).
var DefaultQuotas = Quotas{DedicatedCores: 900, LowPriorityCores: 100}

// DefaultQuotasOf returns the default quotas a pool of the service is
// checked against: a Batch account's (DefaultQuotas), or for Azure ML and
// scale sets the subscription's regional low-priority / Spot vCPU quota at
// its lowest documented default (100 cores; 100 to 3,000 by offer), with no
// dedicated default to check against (regional family quotas vary).
func DefaultQuotasOf(s Service) Quotas {
	if s == Batch {
		return DefaultQuotas
	}
	return Quotas{LowPriorityCores: 100}
}

// QuotaFit is how one pool's fixed target of one node kind fits a core
// quota, when it does not: the quota either caps it (Capped: the scenario
// set that quota) or only would under Azure's default (the scenario did not
// set it, so the pool runs as asked and the report warns).
type QuotaFit struct {
	Pool string
	Kind Kind
	// Asked is the target in nodes; Allowed the nodes the quota leaves
	// room for (after the pools before this one); CoresPerNode the size's.
	Asked, Allowed, CoresPerNode int
	// QuotaCores is the quota: the scenario's when Capped, else Azure's
	// default.
	QuotaCores int
	Capped     bool
	// Service is the pool's, whose default quota QuotaCores is when not
	// Capped.
	Service Service
	// Most, for a pool whose targets are not fixed, says where Asked, the
	// most nodes it may ask for, comes from ("its max_instances"); such a
	// pool is only warned about (a quota it sets caps its resizes as they
	// happen, and the report counts them).
	Most string
	// FromRuns says Asked is what an autoscale formula asked for in the
	// runs (QuotaFitsRan), not what the scenario says it may ask for.
	FromRuns bool
}

// AskedCores is the cores the target asks for.
func (q QuotaFit) AskedCores() int { return q.Asked * q.CoresPerNode }

// fixedTargets reports whether a pool's targets are fixed (not set by an
// autoscale formula, an Azure ML cluster or a sizing policy).
func (p *Pool) fixedTargets() bool {
	return p.Autoscale == nil && p.Cluster == nil && p.Sizing == nil
}

// mostAsked returns the most nodes of each kind a pool may ask for: its
// fixed targets (most ""), an Azure ML cluster's max_instances of its tier,
// or a sizing policy's nodes of either kind (it may run them all spot or
// all dedicated). An autoscale formula's targets are only known by running
// it: ran, when not nil, holds the largest it set in the runs
// (AutoscaleResult.MostTargets); ok is false without it.
func (p *Pool) mostAsked(ran *[2]int) (asks [2]int, most string, ok bool) {
	switch {
	case p.Autoscale != nil:
		if ran == nil {
			return asks, "", false
		}
		return *ran, "its autoscale formula's largest target in these runs", true
	case p.Cluster != nil:
		asks[p.Cluster.Tier] = p.Cluster.MaxInstances
		return asks, "its cluster's max_instances", true
	case p.Sizing != nil:
		return [2]int{p.Sizing.Nodes, p.Sizing.Nodes}, "its policy's nodes, of either kind", true
	}
	return [2]int{p.TargetDedicatedNodes, p.TargetLowPriorityNodes}, "", true
}

// QuotaFits returns, for every pool with fixed targets, an Azure ML
// cluster or a sizing policy (mostAsked), each node kind
// whose target does not fit its core quota, in pool order. Quotas are
// shared: pools are sized in order, dedicated nodes first, as the
// simulation allocates them at t = 0, so a later pool gets what the earlier
// ones left. A quota the scenario set caps (Capped); one it did not set is
// checked against DefaultQuotas, and only warned about.
func (s *Scenario) QuotaFits() []QuotaFit { return s.QuotaFitsRan(nil) }

// QuotaFitsRan is QuotaFits once the scenario has run: ran is
// runner.Totals.MostTargets, the largest targets each autoscaled pool's
// formula set in the runs, so that those pools are checked too (against
// the default quotas only: a quota the scenario set caps their resizes as
// they happen, and Result.QuotaCapped counts them). ran nil is QuotaFits.
func (s *Scenario) QuotaFitsRan(ran [][2]int) []QuotaFit {
	var out []QuotaFit
	used := [2][2]int{} // [capped or default][kind] cores used so far
	for i := range s.Pools {
		p := &s.Pools[i]
		var r *[2]int
		if i < len(ran) {
			r = &ran[i]
		}
		asks, most, ok := p.mostAsked(r)
		if !ok {
			continue
		}
		for k, target := range asks {
			defs := DefaultQuotasOf(p.Service)
			set, quota := s.Quotas.DedicatedSet, s.Quotas.DedicatedCores
			def := defs.DedicatedCores
			if Kind(k) == LowPriority {
				set, quota, def = s.Quotas.LowPrioritySet, s.Quotas.LowPriorityCores, defs.LowPriorityCores
			}
			if !set {
				quota = def
			}
			c := 0
			if set {
				c = 1
			}
			if quota == 0 || p.Size.Cores <= 0 {
				continue // set to 0: no limit
			}
			if most != "" && set {
				continue // capped as it resizes (Result.QuotaCapped)
			}
			room := max(0, (quota-used[c][k])/p.Size.Cores)
			allowed := min(target, room)
			if most == "" {
				used[c][k] += allowed * p.Size.Cores // allocated at t = 0
			}
			if target > room {
				out = append(out, QuotaFit{Pool: p.Name, Kind: Kind(k), Asked: target, Allowed: room,
					CoresPerNode: p.Size.Cores, QuotaCores: quota, Capped: set, Service: p.Service, Most: most,
					FromRuns: p.Autoscale != nil})
			}
		}
	}
	return out
}

// ranAs returns each fixed pool's targets as the quotas that apply let it
// run them: [pool][kind] nodes.
func (s *Scenario) ranAs() [][2]int {
	out := make([][2]int, len(s.Pools))
	for i := range s.Pools {
		out[i] = [2]int{s.Pools[i].TargetDedicatedNodes, s.Pools[i].TargetLowPriorityNodes}
	}
	idx := map[string]int{}
	for i := range s.Pools {
		idx[s.Pools[i].Name] = i
	}
	for _, q := range s.QuotaFits() {
		if q.Capped {
			out[idx[q.Pool]][q.Kind] = q.Allowed
		}
	}
	return out
}
