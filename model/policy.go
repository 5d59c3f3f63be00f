package model

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// PolicyKind is a deadline-aware pool policy: the rule that decides, at
// each decision point, whether the pool's nodes are dedicated or
// low-priority (docs/policies.md defines each precisely).
type PolicyKind uint8

const (
	// SpotOnly keeps every node low-priority.
	SpotOnly PolicyKind = iota
	// DedicatedOnlyPolicy keeps every node dedicated.
	DedicatedOnlyPolicy
	// Greedy stays on low-priority nodes until the slack runs out, then
	// goes dedicated for good (Wu et al. 2024's greedy).
	Greedy
	// UniformProgress is Wu et al.'s Uniform Progress: dedicated when
	// spot capacity is gone and progress is behind the straight line from
	// submission to deadline, back to spot when ahead, with its
	// hysteresis and safety net.
	UniformProgress
	// Threshold is UniformProgress with the line lowered by a share X of
	// the job: dedicated only when behind by more than X.
	Threshold
	numPolicyKinds
)

var policyNames = [numPolicyKinds]string{"spot-only", "dedicated-only", "greedy", "uniform-progress", "threshold"}

// PolicyNames lists the policy kinds as scenario files name them.
func PolicyNames() []string { return policyNames[:] }

func (k PolicyKind) String() string {
	if k < numPolicyKinds {
		return policyNames[k]
	}
	return fmt.Sprintf("PolicyKind(%d)", int(k))
}

// PolicyKindOf returns the kind named s.
func PolicyKindOf(s string) (PolicyKind, bool) {
	for i, n := range policyNames {
		if n == s {
			return PolicyKind(i), true
		}
	}
	return 0, false
}

// PolicyTick is the decision period of a continuous policy (Interval 0,
// as for scale sets, which react to events rather than on a timer).
const PolicyTick = time.Minute

// Policy sizes a pool by a deadline-aware rule instead of fixed targets or
// an autoscale formula: Nodes nodes, all low-priority or all dedicated,
// decided at t = 0 and every Interval (Azure Batch's autoscale cadence), or
// continuously (Interval 0: every PolicyTick and at the exact moment a
// safety switch falls due). The policy reads the state of the pool's job
// exactly, with no sample lag; `spotsim policy export` writes the same
// rule as an autoscale formula, which reads what Azure exposes.
type Policy struct {
	Kind     PolicyKind
	Nodes    int
	Interval time.Duration
	// Behind is the Threshold policy's X: the share of the job's work by
	// which progress may trail the straight line before going dedicated.
	Behind float64
}

// DefaultBehind is the threshold policy's X unless a scenario sets it.
const DefaultBehind = 0.05

// DefaultPolicyInterval is a policy's decision interval unless a scenario
// sets it: Azure Batch's default autoscale interval (15 min) for Batch and
// ML pools; continuous (0) for a scale set, which reacts to events.
func DefaultPolicyInterval(s Service) time.Duration {
	if s == ScaleSet {
		return 0
	}
	return 15 * time.Minute
}

// problems checks a pool's policy on its own (its pool and job aside),
// one error per key: "kind", "nodes", "interval" or "behind".
func (p *Policy) problems() map[string]string {
	out := map[string]string{}
	if p.Kind >= numPolicyKinds {
		out["kind"] = fmt.Sprintf("unknown policy kind %d", p.Kind)
	}
	if p.Nodes < 1 || p.Nodes > Limits.Nodes {
		out["nodes"] = fmt.Sprintf("must be between 1 and %d, got %d", Limits.Nodes, p.Nodes)
	}
	if p.Interval != 0 && (p.Interval < MinAutoscaleInterval || p.Interval > MaxAutoscaleInterval) {
		out["interval"] = fmt.Sprintf("must be \"0s\" (continuous, as a scale set) or between 5m and 168h (Azure Batch's autoscale interval), got %s", dist.FormatDuration(p.Interval))
	}
	if !(p.Behind >= 0 && p.Behind < 1) {
		out["behind"] = fmt.Sprintf("must be at least 0 and less than 1 (a share of the job's work), got %v", p.Behind)
	}
	return out
}

// needsDeadline reports whether the policy reads its job's deadline.
func (p *Policy) needsDeadline() bool { return p.Kind >= Greedy }
