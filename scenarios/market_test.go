package scenarios_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/scenarios"
)

const marketBase = `[simulation]
replications = 2

[[pools]]
name = "spot"
vm_size = "Standard_D4s_v5"
target_low_priority_nodes = 4
service = "scaleset"
restore_timeout = "2h"
max_price = 0.03
[pools.preemption]
PREEMPTION
[pools.capacity]
CAPACITY
[pools.spot_price]
PRICE

[[jobs]]
name = "j"
tasks = 10
duration = "10m"
`

func market(pre, capacity, price string) string {
	s := strings.Replace(marketBase, "PREEMPTION", pre, 1)
	s = strings.Replace(s, "CAPACITY", capacity, 1)
	return strings.Replace(s, "PRICE", price, 1)
}

func loadIn(t *testing.T, dir, src string) (*model.Scenario, error) {
	t.Helper()
	d, err := scenarios.ParseDoc(filepath.Join(dir, "m.toml"), src, dir)
	if err != nil {
		return nil, err
	}
	return d.Scenario()
}

func TestMarketKeys(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "evictions.csv"), []byte("time,count,unavailable_for\n1h,2,30m\n3h,1,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "prices.csv"), []byte("timestamp,price\n0,0.02\n2h,0.05\n"), 0o644)
	tests := []struct {
		name                 string
		pre, capacity, price string
		check                func(p *model.Pool) bool
	}{
		{"azure band, per hour", `azure_eviction_rate = "5-10"`, "", "", func(p *model.Pool) bool {
			e := p.Lifetime
			return e != nil && e.Kind == dist.Exponential && math.Abs(e.Rate+math.Log1p(-0.075)) < 1e-12 && e.Band.Provider == "azure" && p.Notice == 30*time.Second
		}},
		{"aws bucket, per month", `aws_interruption_frequency = "5-10%"`, "", "", func(p *model.Pool) bool {
			e := p.Lifetime
			return e != nil && e.Kind == dist.Exponential && e.Rate > 1.08e-4 && e.Rate < 1.09e-4 && e.Band.Provider == "aws"
		}},
		{"weibull capped", `model = "weibull"
shape = 0.7
scale = "20h"
max_lifetime = "24h"
notice = "2m"`, "", "", func(p *model.Pool) bool {
			c := p.Lifetime
			return c != nil && c.Kind == dist.Weibull && c.Cap == 24*time.Hour && p.Notice == 2*time.Minute
		}},
		{"bathtub defaults", `model = "bathtub"`, "", "", func(p *model.Pool) bool {
			b := p.Lifetime
			return b != nil && b.Kind == dist.Bathtub && b.B == 24*time.Hour
		}},
		{"lifetime as a distribution", `lifetime = { dist = "lognormal", mean = "8h", stddev = "6h" }
max_lifetime = "1d"`, "", "", func(p *model.Pool) bool {
			l := p.Lifetime
			return l != nil && l.Kind == dist.LogNormal && l.Mean == 8*time.Hour && l.StdDev == 6*time.Hour && l.Cap == 24*time.Hour
		}},
		{"fixed lifetime", `lifetime = "5h"`, "", "", func(p *model.Pool) bool {
			l := p.Lifetime
			return l != nil && l.Kind == dist.Fixed && l.Value == 5*time.Hour
		}},
		{"trace and deallocate", `model = "trace"
file = "evictions.csv"
eviction_policy = "deallocate"
disk_price_per_hour = 0.004
restart_delay = "30s"`, "", "", func(p *model.Pool) bool {
			return p.Lifetime == nil && p.Capacity.Trace != nil && len(p.Capacity.Trace.Rows) == 2 &&
				p.Capacity.Trace.Rows[0].Blackout == 30*time.Minute && p.Policy == model.Deallocate && p.DiskPrice == 0.004
		}},
		{"capacity", `mean_time_to_preemption = "8h"`, `allocation_failure_probability = 0.2
retry_delay = "2m"
availability = { fraction = 0.6, mean_spell = "2h" }
crunches = { every = { dist = "exponential", mean = "3d" }, fraction = 0.3, blackout = "1h" }`, "", func(p *model.Pool) bool {
			a := p.Capacity.Availability
			return p.Capacity.AllocationFailure == 0.2 && a != nil && a.Availability() > 0.59 && a.Availability() < 0.61 && p.Capacity.Crunches.Fraction == 0.3
		}},
		{"ou price", `mean_time_to_preemption = "8h"`, "", `model = "ou"
mean = 0.02
volatility = 0.01
reversion_time = "1h"`, func(p *model.Pool) bool {
			return p.Price.OU != nil && p.Price.OU.Mean == 0.02 && p.MaxPrice == 0.03
		}},
		{"price trace", `mean_time_to_preemption = "8h"`, "", `model = "trace"
file = "prices.csv"`, func(p *model.Pool) bool {
			return p.Price.Trace != nil && p.Price.Trace.At(3*time.Hour) == 0.05
		}},
	}
	for _, tt := range tests {
		sc, err := loadIn(t, dir, market(tt.pre, tt.capacity, tt.price))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !tt.check(&sc.Pools[0]) {
			t.Errorf("%s: not loaded as expected: %+v", tt.name, sc.Pools[0])
		}
	}
}

func TestMarketErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("time,count\n1h,2\n30m,x\n"), 0o644)
	tests := []struct {
		name, pre, capacity, price, want string
	}{
		{"azure band", `azure_eviction_rate = "5-9"`, "", "", `m.toml:12:1: pools.spot.preemption.azure_eviction_rate: unknown Azure eviction-rate band (per hour) "5-9"`},
		{"aws label as azure", `azure_eviction_rate = ">20%"`, "", "", `m.toml:12:1: pools.spot.preemption.azure_eviction_rate: unknown Azure eviction-rate band (per hour) ">20%" (want one of "0-5", "5-10", "10-15", "15-20", "20+"); ">20%" is an AWS Spot Advisor bucket (per month)`},
		{"old ambiguous key", `interruption_rate = "5-10"`, "", "", `m.toml:12:1: pools.spot.preemption.interruption_rate: is ambiguous and no longer read: Azure's eviction-rate bands are per hour, AWS Spot Advisor's buckets per month; write azure_eviction_rate = "5-10" (Azure, per hour) or aws_interruption_frequency = "5-10%" (AWS, per month)`},
		{"old key on weibull", "model = \"weibull\"\nshape = 1\nscale = \"2h\"\ninterruption_rate = \"5-10\"", "", "", `pools.spot.preemption.interruption_rate: is ambiguous`},
		{"both providers", "azure_eviction_rate = \"5-10\"\naws_interruption_frequency = \"5-10%\"", "", "", `m.toml:13:1: pools.spot.preemption.aws_interruption_frequency: give one of`},
		{"two rates", "mean_time_to_preemption = \"8h\"\nrate_per_hour = 0.1", "", "", `m.toml:13:1: pools.spot.preemption.rate_per_hour: give one of`},
		{"trace rows", "model = \"trace\"\nfile = \"bad.csv\"", "", "", `m.toml:13:1: pools.spot.preemption.file: bad.csv:3:`},
		{"disk without deallocate", "mean_time_to_preemption = \"8h\"\neviction_policy = \"delete\"\ndisk_price_per_hour = 1", "", "", `pools.spot.preemption.disk_price_per_hour: only applies with eviction_policy = "deallocate"`},
		{"failure prob", `mean_time_to_preemption = "8h"`, "allocation_failure_probability = 1.5", "", `m.toml:14:1: pools.spot.capacity.allocation_failure_probability: must be between 0 and 0.999, got 1.5`},
		{"model and lifetime", "model = \"weibull\"\nlifetime = { dist = \"exponential\", mean = \"8h\" }", "", "", `m.toml:13:1: pools.spot.preemption.lifetime: give either model = "weibull" (and its keys) or lifetime = { dist = ... }, not both`},
		{"bad lifetime", `lifetime = { dist = "weibull", shape = 0.7 }`, "", "", `m.toml:12:1: pools.spot.preemption.lifetime.scale: missing: weibull distribution needs it`},
		{"availability both", `mean_time_to_preemption = "8h"`, `availability = { fraction = 0.5, up = "1h" }`, "", `pools.spot.capacity.availability.fraction: give either up and down spells`},
		{"ou missing", `mean_time_to_preemption = "8h"`, "", `model = "ou"`, `pools.spot.spot_price.mean: missing: the ou model needs`},
		{"max price 0", `mean_time_to_preemption = "8h"`, "", "", `m.toml:10:1: pools.spot.max_price: must be -1`},
	}
	for _, tt := range tests {
		src := market(tt.pre, tt.capacity, tt.price)
		if tt.name == "max price 0" {
			src = strings.Replace(src, "max_price = 0.03", "max_price = 0", 1)
		}
		_, err := loadIn(t, dir, src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}
