package importer

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/spotsim/spotsim/model"
)

// Shape is the JSON shape an exported pool takes.
type Shape int

const (
	DataPlane Shape = iota // az batch pool show / the Batch REST API
	ARM                    // a Microsoft.Batch/batchAccounts/pools resource
)

// ExportPool writes a scenario's pool as Azure Batch pool JSON: what
// spotsim import batch-pool reads back into the same pool (size, targets or
// formula and interval, task slots, fill type). An Azure ML cluster or a
// scale set is not a Batch pool, and is refused; timed resizes are not a
// pool's JSON, and are left out.
func ExportPool(p model.Pool, shape Shape) ([]byte, error) {
	switch {
	case p.Cluster != nil || p.Service == model.ML:
		return nil, fmt.Errorf("pool %q is an Azure ML compute cluster, not a Batch pool", p.Name)
	case p.Service != model.Batch:
		return nil, fmt.Errorf("pool %q is a VM scale set (service %s), not a Batch pool", p.Name, p.Service)
	}
	fill := p.Scheduling.String()
	var v any
	if shape == DataPlane {
		d := map[string]any{
			"id":                   p.Name,
			"vmSize":               p.Size.Name,
			"taskSlotsPerNode":     p.TaskSlotsPerNode,
			"taskSchedulingPolicy": map[string]any{"nodeFillType": fill},
			"enableAutoScale":      p.Autoscale != nil,
		}
		if a := p.Autoscale; a != nil {
			d["autoScaleFormula"] = a.Formula.Source()
			d["autoScaleEvaluationInterval"] = FormatISODuration(a.Interval)
		} else {
			d["targetDedicatedNodes"] = p.TargetDedicatedNodes
			d["targetLowPriorityNodes"] = p.TargetLowPriorityNodes
			d["resizeTimeout"] = FormatISODuration(defaultResizeTimeout)
		}
		v = d
	} else {
		scale := map[string]any{}
		if a := p.Autoscale; a != nil {
			scale["autoScale"] = map[string]any{"formula": a.Formula.Source(), "evaluationInterval": FormatISODuration(a.Interval)}
		} else {
			scale["fixedScale"] = map[string]any{
				"targetDedicatedNodes":   p.TargetDedicatedNodes,
				"targetLowPriorityNodes": p.TargetLowPriorityNodes,
				"resizeTimeout":          FormatISODuration(defaultResizeTimeout),
				"nodeDeallocationOption": "Requeue",
			}
		}
		armFill := "Spread"
		if p.Scheduling == model.Pack {
			armFill = "Pack"
		}
		v = map[string]any{
			"type":       "Microsoft.Batch/batchAccounts/pools",
			"apiVersion": "2024-07-01",
			"name":       p.Name,
			"properties": map[string]any{
				"vmSize":               p.Size.Name,
				"taskSlotsPerNode":     p.TaskSlotsPerNode,
				"taskSchedulingPolicy": map[string]any{"nodeFillType": armFill},
				"scaleSettings":        scale,
			},
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
