package scenarios

import (
	"errors"
	"strconv"
	"strings"
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

// keyErrors places the model's validation problems (model.KeyError) at
// their keys; it reports false if some error is not tied to a key.
func (r *reader) keyErrors(tree map[string]any, err error) bool {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	for _, e := range list {
		var ke *model.KeyError
		if !errors.As(e, &ke) {
			return false
		}
	}
	for _, e := range list {
		var ke *model.KeyError
		errors.As(e, &ke)
		r.errs.Add(r.at(indexPath(tree, ke.Path)), strings.Join(ke.Path, "."), "%s", ke.Msg)
	}
	return true
}

// indexPath turns a path naming array elements ("jobs", "train", ...) into
// the index form positions are kept by ("jobs", "0", ...).
func indexPath(tree map[string]any, path []string) []string {
	out := append([]string(nil), path...)
	if len(path) < 2 {
		return out
	}
	var elems []map[string]any
	switch x := tree[path[0]].(type) {
	case []map[string]any:
		elems = x
	case []any:
		for _, e := range x {
			m, _ := e.(map[string]any)
			elems = append(elems, m)
		}
	}
	for i, m := range elems {
		if n, _ := m["name"].(string); n == path[1] {
			out[1] = strconv.Itoa(i)
			break
		}
	}
	return out
}
