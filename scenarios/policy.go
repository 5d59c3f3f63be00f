package scenarios

import (
	"github.com/spotsim/spotsim/model"
)

// policy decodes [pools.policy]: a deadline-aware policy that sizes the
// pool instead of fixed targets (docs/policies.md).
func (r *reader) policy(pool *tbl, p *model.Pool) {
	for _, k := range []string{"target_dedicated_nodes", "target_low_priority_nodes", "autoscale", "cluster"} {
		if pool.Has(k) {
			pool.errorf(k, "cannot be used with [pools.policy]: the policy sets the targets")
		}
	}
	t := pool.Table("policy")
	if !t.Has("kind") {
		t.missing("kind", "say which policy (%s)", quoteList(model.PolicyNames()))
	}
	kind, _ := model.PolicyKindOf(t.Enum("kind", "spot-only", model.PolicyNames()...))
	if !t.Has("nodes") {
		t.missing("nodes", "how many nodes the policy runs, all dedicated or all low-priority at a time")
	}
	pol := &model.Policy{Kind: kind, Nodes: t.Integer("nodes", 1)}
	// A Batch or ML pool decides at its autoscale interval; a scale set,
	// which reacts to events, continuously.
	pol.Interval = t.Dur("interval", model.DefaultPolicyInterval(p.Service))
	if kind == model.Threshold {
		pol.Behind = t.Number("behind", model.DefaultBehind)
	} else if t.Has("behind") {
		t.errorf("behind", "only applies to kind = \"threshold\"")
	}
	t.Done()
	p.Sizing = pol
}
