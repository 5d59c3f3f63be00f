// Package preempt models when spotsim's low-priority (spot) nodes lose their
// capacity: the lifetime of each low-priority incarnation, and pool-wide
// capacity processes (on/off availability, capacity crunches, replayed
// eviction traces). It is pure: it knows nothing of pools, draws no random
// numbers of its own, and every result is a function of the parameters and
// of the uniform numbers the caller passes in (DESIGN.md §2, common random
// numbers). Price-driven eviction lives in package price.
//
// # Lifetimes
//
// A Lifetime is the distribution of the time from an incarnation's
// allocation to its preemption, sampled by inversion: the pool draws
//
//	life := model.Quantile(streams.Uniform(stLife, node, incarnation))
//
// Every model also gives its CDF, its Mean and Validate, which returns an
// error for bad parameters (methods never panic, even on invalid values).
//
//   - Exponential{Rate}: memoryless, Rate preemptions per hour of life.
//     NewExponential(mean), ExponentialRate(perHour), ExponentialMonthly(b)
//     and ExponentialBucket(label). A published monthly interruption
//     fraction b maps to λ = −ln(1 − b)/720 per hour (DESIGN.md §3; a month
//     is HoursPerMonth = 720 h), so that a fraction b of incarnations is
//     preempted within 30 days. Buckets (AZURE.md §5) use their midpoint,
//     and the open top bucket 25 %:
//
//     AWS Spot Advisor   Azure   monthly b   λ per hour
//     <5%                0-5     0.025       3.516e-5
//     5-10%              5-10    0.075       1.083e-4
//     10-15%             10-15   0.125       1.855e-4
//     15-20%             15-20   0.175       2.672e-4
//     >20%               20+     0.25        3.996e-4
//
//     Buckets() returns the table; labels ignore spaces and a trailing "%".
//
//   - Weibull{Shape, Scale}: CDF 1 − exp(−(t/Scale)^Shape), mean
//     Scale·Γ(1 + 1/Shape) (gonum distuv). Shape < 1: young incarnations
//     die most.
//
//   - Bathtub{A, Tau1, Tau2, B}: the measured shape of 24 h-capped
//     preemptible VMs, F(t) = A(1 − e^{−t/τ₁} + e^{(t−b)/τ₂}) (DESIGN.md §3).
//     As published F(0) = A·e^{−b/τ₂} > 0 and F exceeds 1, so spotsim uses
//     G(t) = (F(t) − F(0))/(1 − F(0)) on [0, t*], where F(t*) = 1: G is a
//     continuous CDF from 0 to 1, and differs from F by at most F(0)
//     (5·10⁻¹⁴ for the defaults). t* ≤ b + τ₂·ln(1/A); for A = ½,
//     t* = b + τ₂·ln(1 + e^{−t*/τ₁}), a hair past b. Quantile is a
//     safeguarded Newton inversion (bisection bracket, ≤ 100 iterations,
//     tolerance 1/3 ns, typically 1–6 iterations); Mean is in closed form.
//     DefaultBathtub: A = 0.5, τ₁ = 1 h, τ₂ = 48 min, b = 24 h, mean
//     12.1 h. Use NewBathtub, which caches t*.
//
//   - Empirical{Samples}: observed lifetimes, each with probability 1/n; a
//     step distribution whose Quantile(u) is the ⌈u·n⌉-th smallest sample
//     (a draw is always an observed value) and whose Mean is the sample mean.
//
//   - Capped{Lifetime, Max}: min(X, Max), a max_lifetime (GCP-style 24 h)
//     over any model; its mean E[min(X, Max)] is exact for this package's
//     models (the Weibull one through the regularised incomplete gamma).
//
// # Capacity processes
//
// Processes draw from a Uniform, a counter-based source u(i, j) in (0, 1)
// (wrap sim.Streams.Uniform with the pool's stream): spell or event k uses
// u(k, 0), and a second draw of the same event u(k, 1). The k-th spell or
// crunch is thus the same in a scenario and in its dedicated-only baseline,
// whatever else happens.
//
//   - OnOff{Up, Down}: alternating available and unavailable spells, their
//     lengths drawn from two dist.Dist; Spells(u).Next() returns
//     (start, end, available), starting with an available spell at 0 unless
//     StartUnavailable. Synthetic(a, s) builds exponential spells with
//     long-run availability a and mean spell length s of either kind, from
//     the measured 1–4 h spells and 10–90 % availability: a cycle lasts 2s,
//     mean up = 2·a·s, mean down = 2·(1 − a)·s. Intended semantics: an
//     unavailable spell evicts every low-priority node and blocks
//     allocation until it ends.
//
//   - Crunches{Every, Fraction, Blackout}: correlated evictions. Crunch
//     starts are a renewal process with inter-arrival Every (the first at
//     Every's first draw), each evicts Fraction of the pool's current
//     low-priority nodes and blocks new low-priority allocations for
//     Blackout; overlapping blackouts extend to the latest end.
//     Events(u).Next() gives them in order, Nth(u, k) the k-th.
//
//   - Trace: evictions replayed from a CSV (LoadTrace; columns time, count
//     or fraction, optional unavailable_for), with positioned errors
//     "file.csv:LINE: column N (header): message" (*ParseError), size caps
//     and strict validation. Trace.Events() streams its rows.
//
// Crunches and traces yield Eviction values; Eviction.Nodes(L) says how many
// of L low-priority nodes go. A fraction f evicts EvictCount(f, L) =
// ⌊f·L + ½⌋ (round half up, with a 10⁻⁹ tolerance so that 0.15 of 10 is 2),
// within [0, L]. Which nodes go is the pool's choice.
//
// # For the pool
//
// Per low-priority incarnation: schedule the preemption at
// now + Lifetime.Quantile(u(node, incarnation)). Per pool: walk the OnOff
// spells and the Events of crunches or a trace, evicting Nodes(L) nodes and
// blocking replacement until the blackout (or unavailable spell) ends. A nil
// Lifetime can stand for "never preempted".
package preempt
