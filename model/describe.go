package model

import (
	"fmt"
	"strings"

	"github.com/spotsim/spotsim/model/preempt"
)

// DescribeLifetime returns the pool's lifetime model as spotsim understood
// it (preempt.Describe): the one description that validate, the run's
// table, summary.json and the reports show. A pool whose evictions come from
// a replayed trace has no lifetime of its own and says so.
func (p *Pool) DescribeLifetime() preempt.Summary {
	s := preempt.Describe(p.Lifetime)
	if p.Lifetime == nil && p.Capacity.Trace != nil {
		s.Model = "trace"
		s.Text = fmt.Sprintf("trace: no lifetime of its own; evictions replayed from %s (%d rows)", p.Capacity.Trace.Name, len(p.Capacity.Trace.Rows))
	}
	return s
}

// DescribeMarket says in words what else evicts the pool's low-priority
// nodes besides their lifetimes (availability spells, crunches, the spot
// price against max_price), or "" when nothing does.
func (p *Pool) DescribeMarket() string {
	var parts []string
	c := &p.Capacity
	if c.Availability != nil {
		parts = append(parts, fmt.Sprintf("availability spells (%v; long-run availability %.3g)", c.Availability, c.Availability.Availability()))
	}
	if c.Crunches != nil {
		parts = append(parts, fmt.Sprintf("crunches (gaps %v, evicting %g of the nodes, blackout %v)", c.Crunches.Every, c.Crunches.Fraction, c.Crunches.Blackout))
	}
	if p.MaxPrice > 0 && (p.Price.OU != nil || p.Price.Trace != nil) {
		parts = append(parts, fmt.Sprintf("the spot price rising above max_price %g", p.MaxPrice))
	}
	if c.AllocationFailure > 0 {
		parts = append(parts, fmt.Sprintf("allocation requests failing with probability %g", c.AllocationFailure))
	}
	return strings.Join(parts, "; ")
}
