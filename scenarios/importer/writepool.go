package importer

import (
	"fmt"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/fit"
)

// quotas writes the account's core quotas. Azure's 0 allows nothing, and
// spotsim's 0 means no limit, so a 0 quota is left out (gather refuses
// one that the pool would need).
func (b *build) quotas() {
	a := b.src.Account
	if a == nil {
		return
	}
	w := &b.w
	w.table("quotas")
	if a.Dedicated > 0 {
		what := from(a.File, a.DedicatedPath)
		if a.Family != "" && !a.FamilyMissing {
			what += " (" + a.Family + ", enforced per VM family)"
		}
		w.kv("dedicated_cores", tomlInt(a.Dedicated), what)
	}
	if a.FamilyMissing {
		w.comment("%s enforces dedicated quotas per VM family but lists none for %s: the account's quota is used", a.File, orName(a.Family, b.size))
	}
	if a.LowPriority > 0 {
		w.kv("low_priority_cores", tomlInt(a.LowPriority), from(a.File, a.LowPriorityPath))
	}
}

func orName(family, size string) string {
	if family == "" {
		return size
	}
	return family
}

// vmSize writes the size's table when prices were imported (or the cores
// were given); otherwise the built-in catalog's entry is used.
func (b *build) vmSize() {
	w := &b.w
	if b.prices == nil && b.opt.Cores == 0 {
		w.blank()
		w.comment("%s: the built-in catalog's seed prices (give --prices for your region's)", b.size)
		return
	}
	w.array("vm_sizes")
	w.kv("name", tomlString(b.size), "")
	w.kv("cores", tomlInt(b.cores), b.coreSrc)
	if p := b.prices; p != nil {
		w.comment("%s prices (%s)", strings.ToUpper(b.os[:1])+b.os[1:], b.osSrc)
		w.kv("dedicated_price", tomlPrice(p.Regular.Price), p.Regular.Source())
		w.kv("low_priority_price", tomlPrice(p.Spot.Price), p.Spot.Source())
		if p.Spot.LowPriority() {
			w.comment("(a legacy Low Priority meter, chosen with --meter: Batch bills low-priority nodes at the Spot rate now)")
		}
	} else {
		c, _ := catalogSize(b.size)
		w.kv("dedicated_price", tomlPrice(c.DedicatedPrice), "the built-in catalog (give --prices for your region's)")
		w.kv("low_priority_price", tomlPrice(c.LowPriorityPrice), "the built-in catalog")
	}
}

func (b *build) nodeTiming() {
	w := &b.w
	w.kv("allocation_delay", assumedAllocation, b.assume("allocation delay as in spotsim's default scenario (AZURE.md §2.2)"))
	w.kv("start_delay", assumedStart, b.assume("boot and start task as in spotsim's default scenario"))
}

func (b *build) batchPool() {
	p, w := b.src.Pool, &b.w
	w.array("pools")
	w.kv("name", tomlString(p.ID), from(p.File, p.Paths["name"]))
	w.kv("service", `"batch"`, fmt.Sprintf("%s is %s", p.File, p.Kind))
	w.kv("vm_size", tomlString(b.size), from(p.File, p.Paths["vm_size"]))
	if !p.AutoScale {
		w.kv("target_dedicated_nodes", tomlInt(p.TargetDedicatedNodes), b.orDefault(p, "target_dedicated_nodes", "0"))
		w.kv("target_low_priority_nodes", tomlInt(p.TargetLowPriority), b.orDefault(p, "target_low_priority_nodes", "0"))
	}
	w.kv("task_slots_per_node", tomlInt(p.TaskSlotsPerNode), b.orDefault(p, "task_slots_per_node", "1"))
	fill := p.NodeFillType
	if fill == "" {
		fill = "spread"
	}
	w.kv("task_scheduling", tomlString(fill), b.orDefault(p, "task_scheduling", "spread"))
	b.nodeTiming()
	if !p.AutoScale {
		w.comment("resizeTimeout %s (%s) and nodeDeallocationOption %s (%s) apply to the pool's resizes:",
			FormatISODuration(p.ResizeTimeout), b.orDefault(p, "resize_timeout", "PT15M"), p.NodeDeallocationOption, b.orDefault(p, "node_deallocation_option", "requeue"))
		w.comment("to simulate one, add [[pools.resize]] with at, the targets, resize_timeout = %s, node_deallocation_option = %q", tomlDuration(p.ResizeTimeout), p.NodeDeallocationOption)
		return
	}
	w.table("pools.autoscale")
	w.comment("%s", from(p.File, p.Paths["formula"]))
	w.kv("formula", tomlMultiline(p.Formula), "")
	w.kv("interval", tomlDuration(p.Interval), b.orDefault(p, "interval", "PT15M")+" ("+FormatISODuration(p.Interval)+")")
}

// orDefault names a pool value's path, or says it is Azure's default.
func (b *build) orDefault(p *Pool, key, def string) string {
	if path, ok := p.Paths[key]; ok {
		return from(p.File, path)
	}
	return fmt.Sprintf("not in %s: Azure's default, %s", p.File, def)
}

func (b *build) amlPool() {
	c, w := b.src.Compute, &b.w
	src := func(key, def string) string {
		if path, ok := c.Paths[key]; ok {
			return fromYAML(c.File, c.Lines, path)
		}
		return fmt.Sprintf("not in %s: Azure ML's default, %s", c.File, def)
	}
	w.array("pools")
	w.kv("name", tomlString(c.Name), src("name", ""))
	w.kv("service", `"aml"`, c.File+" is an Azure ML compute cluster")
	w.kv("vm_size", tomlString(b.size), src("vm_size", amlDefaultSize))
	b.nodeTiming()
	w.table("pools.cluster")
	tier := "dedicated"
	if c.LowPriority {
		tier = "low_priority"
	}
	w.kv("tier", tomlString(tier), src("tier", "dedicated"))
	w.kv("min_instances", tomlInt(c.MinInstances), src("min_instances", "0"))
	w.kv("max_instances", tomlInt(c.MaxInstances), src("max_instances", "1"))
	w.kv("idle_time_before_scale_down", tomlDuration(c.IdleTimeBeforeScaleDown), src("idle_time_before_scale_down", "120 s"))
}

// fromYAML names a YAML value's source: "file:LINE: $.path".
func fromYAML(file string, lines map[string]int, path string) string {
	if l := yamlLine(lines, path); l > 0 {
		return fmt.Sprintf("%s:%d: %s", file, l, path)
	}
	return from(file, path)
}

// needsPreemption reports whether the pool can have low-priority nodes.
func (b *build) needsPreemption() bool {
	if p := b.src.Pool; p != nil {
		return p.AutoScale || p.TargetLowPriority > 0
	}
	return b.src.Compute.LowPriority
}

func (b *build) preemption() {
	w := &b.w
	if !b.needsPreemption() && b.life == nil && b.band == nil {
		return
	}
	w.table("pools.preemption")
	switch {
	case b.life != nil:
		b.fittedLifetime()
		if bd := b.band; bd != nil {
			w.comment("(%s gives the band %s for %s in %s: the observed lifetimes take precedence)", from(b.src.Spot.File, bd.Path), bd.Band, bd.Size, bd.Region)
		}
	case b.band != nil:
		bd := b.band
		w.kv("azure_eviction_rate", tomlString(bd.Band), fmt.Sprintf("%s (%s in %s; Azure's bands are per hour)", from(b.src.Spot.File, bd.Path), bd.Size, bd.Region))
	default:
		w.kv("mean_time_to_preemption", tomlString(assumedLifetime), b.assume("spotsim's default scenario's mean lifetime; give --spot (an eviction band) or --evictions (observed lifetimes)"))
	}
	w.kv("replacement_delay", assumedReplacement, b.assume("time before a preempted node is allocated again, as in spotsim's default scenario"))
}

// fittedLifetime writes the best fit (by AIC) to the observed lifetimes.
func (b *build) fittedLifetime() {
	w, l, rep := &b.w, b.src.Lifetimes, b.life
	what := fmt.Sprintf("fitted to %s: %d lifetimes, %d censored", l.File, rep.N, rep.Censored)
	if l.Kind == ActivityLog {
		what += fmt.Sprintf(" (%d VMs, %d evictions, up to %s)", l.VMs, l.Evictions, l.Until.Format(time.RFC3339))
	}
	m := rep.Best()
	w.comment("%s; by AIC: %s", what, rankAIC(rep))
	w.comment("95 %% intervals: %s", paramsCI(m))
	w.kv("lifetime", m.TOML(), "maximum likelihood, with censoring (spotsim fit lifetimes shows the comparison)")
}

// rankAIC lists the fitted families with their ΔAIC.
func rankAIC(rep *fit.Report) string {
	var s []string
	for _, m := range rep.Models {
		s = append(s, fmt.Sprintf("%s ΔAIC %.1f", m.Family, m.DeltaAIC))
	}
	return strings.Join(s, ", ")
}

func (b *build) spotPrice() {
	if b.spotH == nil {
		return
	}
	w, h := &b.w, b.spotH
	w.table("pools.spot_price")
	w.kv("model", `"trace"`, fmt.Sprintf("%s: %d prices of %s %s in %s", from(b.src.Spot.File, h.Path), len(h.Points), h.Size, h.OS, h.Region))
	w.kv("file", tomlString(b.trace), fmt.Sprintf("%s to %s, step-wise", h.Points[0].At.Format("2006-01-02"), h.Points[len(h.Points)-1].At.Format("2006-01-02")))
}

// traceCSV writes the Spot price history as a spotsim price trace:
// offsets from the first price, oldest first.
func (b *build) traceCSV() []byte {
	h := b.spotH
	var s strings.Builder
	fmt.Fprintf(&s, "# Spot price of %s (%s) in %s, $ per hour, from %s %s\n", h.Size, h.OS, h.Region, b.src.Spot.File, h.Path)
	fmt.Fprintf(&s, "# offsets from %s (the scenario's simulation.start)\n", h.Points[0].At.Format(time.RFC3339))
	s.WriteString("timestamp,price\n")
	t0 := h.Points[0].At
	for i, p := range h.Points {
		if i > 0 && p.At.Equal(h.Points[i-1].At) {
			continue // the later row of the same instant was sorted after: keep the first
		}
		fmt.Fprintf(&s, "%s,%s\n", dist.FormatDuration(p.At.Sub(t0)), tomlPrice(p.Price))
	}
	return []byte(s.String())
}
