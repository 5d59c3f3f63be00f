package preempt

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// OnOff is an availability process: spells in which low-priority capacity is
// available alternate with spells in which it is not, each spell's length
// drawn from Up or Down. Measured spot availability looks like this, with
// spells of 1–4 h and availability from 10 % to 90 % by zone (DESIGN.md §3).
//
// The process starts with an available spell at time 0 unless
// StartUnavailable. Spell k (k = 0, 1, ...) has length
// Up or Down .Quantile(u(k, 0)), so the whole path is a pure function of the
// Uniform source.
//
// Suggested pool semantics (the pool decides): when an unavailable spell
// starts, every low-priority incarnation is evicted, and no low-priority node
// can be allocated until the spell ends.
type OnOff struct {
	Up, Down         dist.Dist
	StartUnavailable bool
}

// Synthetic returns the on/off process with exponential spells whose
// long-run available fraction is availability and whose spells, of either
// kind, last meanSpell on average. Spells alternate, so a cycle (one up and
// one down spell) lasts 2·meanSpell on average, and
//
//	mean up   = 2·availability·meanSpell
//	mean down = 2·(1 − availability)·meanSpell
//
// (availability ½ and meanSpell 2 h give 2 h up, 2 h down; 0.9 gives 3.6 h up,
// 0.4 h down). availability must be in (0, 1) and meanSpell positive.
func Synthetic(availability float64, meanSpell time.Duration) (OnOff, error) {
	if !(availability > 0 && availability < 1) {
		return OnOff{}, fmt.Errorf("availability must be in (0, 1), got %v", availability)
	}
	if meanSpell <= 0 {
		return OnOff{}, fmt.Errorf("mean spell must be positive, got %s", formatDuration(meanSpell))
	}
	up := time.Duration(math.Round(2 * availability * float64(meanSpell)))
	down := time.Duration(math.Round(2 * (1 - availability) * float64(meanSpell)))
	if up <= 0 || down <= 0 {
		return OnOff{}, fmt.Errorf("availability %v with mean spell %s leaves a spell of 0 length", availability, formatDuration(meanSpell))
	}
	return OnOff{Up: dist.Exp(up), Down: dist.Exp(down)}, nil
}

// Validate reports whether both spell distributions are valid and a cycle
// has a positive mean length.
func (o OnOff) Validate() error {
	if err := o.Up.Validate(); err != nil {
		return fmt.Errorf("available spells: %w", err)
	}
	if err := o.Down.Validate(); err != nil {
		return fmt.Errorf("unavailable spells: %w", err)
	}
	if o.Up.MeanDuration()+o.Down.MeanDuration() <= 0 {
		return errors.New("on/off spells have a zero mean length")
	}
	return nil
}

// Availability returns the long-run available fraction,
// E[Up] / (E[Up] + E[Down]).
func (o OnOff) Availability() float64 {
	up, down := float64(o.Up.MeanDuration()), float64(o.Down.MeanDuration())
	if up+down <= 0 {
		return 0
	}
	return up / (up + down)
}

func (o OnOff) String() string {
	return fmt.Sprintf("onoff(up %v, down %v)", o.Up, o.Down)
}

// Spells returns an iterator over the spells drawn from u.
func (o OnOff) Spells(u Uniform) *Spells {
	return &Spells{o: o, u: u, avail: !o.StartUnavailable}
}

// Spells iterates over the spells of an OnOff process.
type Spells struct {
	o     OnOff
	u     Uniform
	k     uint64
	at    time.Duration
	avail bool
}

// Next returns the next spell [start, end) and whether capacity is available
// during it. Spells are contiguous: each starts where the previous one
// ended. A spell may have length 0 when its distribution allows it. Times
// saturate at the largest time.Duration.
func (s *Spells) Next() (start, end time.Duration, available bool) {
	d := s.o.Down
	if s.avail {
		d = s.o.Up
	}
	start = s.at
	end = satAdd(start, d.Quantile(s.u(s.k, 0)))
	available = s.avail
	s.k++
	s.at = end
	s.avail = !s.avail
	return start, end, available
}

// satAdd returns a + b (both ≥ 0) saturated at the largest time.Duration.
func satAdd(a, b time.Duration) time.Duration {
	if b < 0 {
		b = 0
	}
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
