package model

import (
	"github.com/spotsim/spotsim/model/preempt"
	"github.com/spotsim/spotsim/model/price"
	"github.com/spotsim/spotsim/sim"
)

// Sub-kinds of evCapacity, carried in the event's slot bits.
const (
	capSpell      = iota // an on/off availability spell ends
	capEvict             // a crunch or a replayed trace event
	capUnblock           // a blackout ends
	capPriceAbove        // the spot price rises above max_price
	capPriceOK           // the spot price is back at or below max_price
)

// market is the spot market around one pool in one replication: whether a
// low-priority node can be allocated now, the nodes waiting until it can,
// and the spot price.
type market struct {
	p           *poolRun
	spells      *preempt.Spells
	events      preempt.Events
	next        preempt.Eviction // the next crunch or trace event
	nEvents     uint64
	spot        price.Process // nil until first asked for (price)
	unavailable bool          // in an unavailable spell
	priceHigh   bool          // the price is above max_price
	blockedTill sim.Time      // end of the current crunch or trace blackout
	waiting     []*node       // low-priority nodes waiting for capacity
	evs         [5]sim.EventID
	stPick      sim.Stream
	evictions   []sim.Time // with Options.KeepSeries: every other cause
	// priceEvictions are the evictions the price rising above max_price
	// caused (with Options.KeepSeries)
	priceEvictions []sim.Time
}

func (p *poolRun) uniform(name string) preempt.Uniform {
	st := sim.StreamOf(name + "/" + p.cfg.Name)
	s := p.r.streams
	return func(i, j uint64) float64 { return s.Uniform(st, i, j) }
}

// startMarket sets the market up at t = 0, before the pool's first nodes.
func (p *poolRun) startMarket() {
	m := &p.market
	m.p = p
	m.stPick = sim.StreamOf("crunch-pick/" + p.cfg.Name)
	c := &p.cfg.Capacity
	if c.Availability != nil {
		m.spells = c.Availability.Spells(p.uniform("spells"))
		m.nextSpell()
	}
	switch {
	case c.Trace != nil:
		m.events = c.Trace.Events()
	case c.Crunches != nil:
		m.events = c.Crunches.Events(p.uniform("crunch"))
	}
	m.scheduleEviction()
	if max := p.cfg.MaxPrice; max > 0 {
		if m.price().At(0) > max { // too dear from the start: allocate nothing yet
			m.priceHigh = true
			if t, ok := m.price().NextAtOrBelow(0, max); ok {
				m.at(capPriceOK, t)
			}
		} else if t, ok := m.price().NextAbove(0, max); ok {
			m.at(capPriceAbove, t)
		}
	}
}

// price returns the pool's spot price, made when first asked for: a run
// that never bills a low-priority node nor checks a max price (a
// dedicated-only baseline) never samples an OU path. The path is a function
// of the replication's seed and the pool's name only, so when it is made
// changes nothing.
func (m *market) price() price.Process {
	if m.spot != nil {
		return m.spot
	}
	p := m.p
	m.spot = price.Fixed(p.cfg.Size.LowPriorityPrice)
	switch {
	case p.cfg.Price.Trace != nil:
		m.spot = p.cfg.Price.Trace
	case p.cfg.Price.OU != nil:
		ou := *p.cfg.Price.OU
		if ou.Cap == 0 || ou.Cap > p.cfg.Size.DedicatedPrice {
			ou.Cap = p.cfg.Size.DedicatedPrice // never above pay-as-you-go
		}
		// built only as far as the run reads it (most runs end well before the horizon)
		if path, err := ou.Lazy(p.r.sc.Horizon, p.r.streams.Rand("price/"+p.cfg.Name)); err == nil {
			m.spot = path
		}
	}
	return m.spot
}

func (m *market) at(sub int, t sim.Time) {
	if t >= m.p.r.sc.Horizon && sub != capUnblock {
		return // nothing after the horizon matters
	}
	r := m.p.r
	m.evs[sub] = r.eng.At(t, r, encode(evCapacity, sub, int32(m.p.idx)))
}

func (m *market) stop() {
	for _, ev := range m.evs {
		m.p.r.eng.Cancel(ev)
	}
}

// blocked reports whether no low-priority node can be allocated now.
func (m *market) blocked() bool {
	return m.unavailable || m.priceHigh || m.p.r.eng.Now() < m.blockedTill
}

// handle is a capacity event.
func (m *market) handle(sub int) {
	p, now := m.p, m.p.r.eng.Now()
	switch sub {
	case capSpell:
		m.nextSpell()
	case capEvict:
		ev := m.next
		n := ev.Nodes(p.allocated(LowPriority))
		m.evict(n, EndCapacity)
		if till := now + ev.Blackout; till > m.blockedTill {
			m.blockedTill = till
			m.at(capUnblock, till)
		}
		m.scheduleEviction()
	case capUnblock:
		m.unblock()
	case capPriceAbove:
		m.priceHigh = true
		m.evict(-1, EndPrice)
		if t, ok := m.price().NextAtOrBelow(now, p.cfg.MaxPrice); ok {
			m.at(capPriceOK, t)
		}
	case capPriceOK:
		m.priceHigh = false
		m.unblock()
		if t, ok := m.price().NextAbove(now, p.cfg.MaxPrice); ok {
			m.at(capPriceAbove, t)
		}
	}
}

// nextSpell enters the next availability spell.
func (m *market) nextSpell() {
	_, end, available := m.spells.Next()
	m.unavailable = !available
	if available {
		m.unblock()
	} else {
		m.evict(-1, EndSpell)
	}
	if end < sim.Never {
		m.at(capSpell, end)
	}
}

func (m *market) scheduleEviction() {
	if m.events == nil {
		return
	}
	ev, ok := m.events.Next()
	if !ok {
		return
	}
	m.next = ev
	m.nEvents++
	m.at(capEvict, ev.At)
}

// evict preempts n of the allocated low-priority nodes, picked at random
// (all of them for n < 0), for the given cause.
func (m *market) evict(n int, cause EndCause) {
	p := m.p
	var cands []*node
	for _, nd := range p.nodes {
		if nd.kind == LowPriority && nd.allocated() {
			cands = append(cands, nd)
		}
	}
	if n < 0 || n > len(cands) {
		n = len(cands)
	}
	for i := 0; i < n; i++ { // partial Fisher-Yates
		j := i + int(p.r.streams.Uniform(m.stPick, m.nEvents, uint64(i))*float64(len(cands)-i))
		cands[i], cands[j] = cands[j], cands[i]
	}
	for _, nd := range cands[:n] {
		p.preempt(nd, cause)
	}
}

// unblock retries the waiting nodes once capacity is back.
func (m *market) unblock() {
	if m.blocked() {
		return
	}
	ws := m.waiting
	m.waiting = nil
	for _, n := range ws {
		n.waiting = false
		if n.state == Preempted {
			m.p.request(n)
		}
	}
}

// series returns the pool's price steps from 0 to end and its evictions.
func (m *market) series(end sim.Time) MarketSeries {
	p := m.p
	ms := MarketSeries{Pool: p.cfg.Name, MaxPrice: p.cfg.MaxPrice, Evictions: m.evictions, PriceEvictions: m.priceEvictions}
	ms.Times, ms.Prices = []sim.Time{0}, []float64{m.price().At(0)}
	for t := sim.Time(0); len(ms.Times) < 1<<20; {
		at, v, ok := m.price().NextChange(t)
		if !ok || at > end || at <= t {
			break
		}
		ms.Times, ms.Prices = append(ms.Times, at), append(ms.Prices, v)
		t = at
	}
	return ms
}
