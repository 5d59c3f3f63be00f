package scenarios

import (
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
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
	pol := &model.Policy{Kind: kind, Nodes: t.Int("nodes", 1, 1, model.Limits.Nodes)}
	pol.Interval = t.Duration("interval", 15*time.Minute, 0)
	if pol.Interval != 0 && (pol.Interval < model.MinAutoscaleInterval || pol.Interval > model.MaxAutoscaleInterval) {
		t.errorf("interval", "must be \"0s\" (continuous, as a scale set) or between 5m and 168h (Azure Batch's autoscale interval), got %s", dist.FormatDuration(pol.Interval))
	}
	if kind == model.Threshold {
		pol.Behind = t.Float("behind", 0.05, 0, 0.99)
	} else if t.Has("behind") {
		t.errorf("behind", "only applies to kind = \"threshold\"")
	}
	t.Done()
	p.Sizing = pol
}
