package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// Configuration says in one line what was simulated: each pool's nodes by
// kind (as the quotas let it run them), VM size, how it is sized (fixed
// targets, an autoscale formula, an Azure ML cluster, a policy), its
// lifetime model with its mean and its spot price model; then the quotas,
// the jobs and the horizon. It is computed from the scenario after every
// override, so it describes the run, not the file's description string.
func Configuration(sc *model.Scenario) string {
	capped := map[string]map[model.Kind]model.QuotaFit{}
	for _, q := range sc.QuotaFits() {
		if q.Capped {
			if capped[q.Pool] == nil {
				capped[q.Pool] = map[model.Kind]model.QuotaFit{}
			}
			capped[q.Pool][q.Kind] = q
		}
	}
	var parts []string
	for i := range sc.Pools {
		p := &sc.Pools[i]
		var b strings.Builder
		fmt.Fprintf(&b, "pool %s (%s): ", p.Name, p.Service.Describe())
		switch {
		case p.Cluster != nil:
			fmt.Fprintf(&b, "Azure ML cluster of %d-%d %s %s nodes", p.Cluster.MinInstances, p.Cluster.MaxInstances, p.Cluster.Tier, p.Size.Name)
		case p.Autoscale != nil:
			fmt.Fprintf(&b, "%s nodes sized by an autoscale formula every %s", p.Size.Name, dist.FormatDuration(p.Autoscale.Interval))
		case p.Sizing != nil:
			fmt.Fprintf(&b, "%s nodes sized by the %s policy", p.Size.Name, p.Sizing.Kind)
		default:
			fmt.Fprintf(&b, "%s + %s %s", nodes(p.TargetDedicatedNodes, "dedicated", capped[p.Name][model.Dedicated]),
				nodes(p.TargetLowPriorityNodes, "low-priority", capped[p.Name][model.LowPriority]), p.Size.Name)
		}
		fmt.Fprintf(&b, " (%d vCPU, %d slot(s))", p.Size.Cores, p.TaskSlotsPerNode)
		if lowPriority(p) {
			l := p.DescribeLifetime()
			b.WriteString(", lifetime " + l.Model)
			if l.Mean > 0 {
				b.WriteString(" mean " + preempt.FormatHours(l.Mean))
			}
			if m := p.DescribeMarket(); m != "" {
				b.WriteString(", also evicted by " + m)
			}
			b.WriteString(", spot price " + priceModel(p))
		}
		parts = append(parts, b.String())
	}
	parts = append(parts, "quotas: "+quotaLine(sc))
	var jobs []string
	for _, j := range sc.Jobs {
		jobs = append(jobs, fmt.Sprintf("%s %d tasks of %s", j.Name, j.Tasks, j.Duration))
	}
	parts = append(parts, "jobs: "+strings.Join(jobs, ", "))
	parts = append(parts, "horizon "+dist.FormatDuration(sc.Horizon))
	return strings.Join(parts, "; ")
}

// nodes says a fixed target: "20 low-priority", or "25 low-priority (40
// asked, capped by the low-priority quota)".
func nodes(n int, kind string, q model.QuotaFit) string {
	if q.Pool == "" {
		return strconv.Itoa(n) + " " + kind
	}
	return fmt.Sprintf("%d %s (%d asked, capped by the %s quota)", q.Allowed, kind, n, kind)
}

// lowPriority reports whether a pool can have low-priority nodes.
func lowPriority(p *model.Pool) bool {
	switch {
	case p.Cluster != nil:
		return p.Cluster.Tier == model.LowPriority
	case p.Autoscale != nil, p.Sizing != nil:
		return true
	}
	return p.TargetLowPriorityNodes > 0
}

func priceModel(p *model.Pool) string {
	switch {
	case p.Price.OU != nil:
		return fmt.Sprintf("mean-reverting (OU, mean $%s/h)", strconv.FormatFloat(p.Price.OU.Mean, 'g', 4, 64))
	case p.Price.Trace != nil:
		return "replayed from a trace"
	}
	return fmt.Sprintf("fixed $%s/h (dedicated $%s/h)", strconv.FormatFloat(p.Size.LowPriorityPrice, 'g', 4, 64),
		strconv.FormatFloat(p.Size.DedicatedPrice, 'g', 4, 64))
}

// quotaLine says the quotas: "none set (no limit)", "low-priority 100
// cores, dedicated not set".
func quotaLine(sc *model.Scenario) string {
	q := sc.Quotas
	if !q.DedicatedSet && !q.LowPrioritySet {
		return "none set (no limit)"
	}
	one := func(set bool, cores int) string {
		if !set {
			return "not set"
		}
		if cores == 0 {
			return "no limit"
		}
		return strconv.Itoa(cores) + " cores"
	}
	return "dedicated " + one(q.DedicatedSet, q.DedicatedCores) + ", low-priority " + one(q.LowPrioritySet, q.LowPriorityCores)
}
