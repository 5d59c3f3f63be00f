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
// allocation to its preemption. It is a dist.Dist, the one family of
// distributions spotsim draws every duration from, so any distribution a
// task duration can have (and any model package fit fits to observed
// lifetimes) can be a lifetime. The pool prepares its Sampler once and
// draws by inversion:
//
//	life := sampler.Quantile(streams.Uniform(stLife, node, incarnation))
//
// The lifetime-only ideas are built on top of that family:
//
//   - exponential lifetimes given by a rate, Rate preemptions per hour:
//     NewExponential(mean) (mean_time_to_preemption, as the rate 1/mean),
//     ExponentialRate(perHour), ExponentialMonthly(b),
//     AzureEvictionRate(band) and AWSInterruptionFrequency(bucket). The two
//     providers publish bands that look alike but are 720 times apart
//     (AZURE.md §5): Azure's eviction-rate band b is the chance that a VM
//     is evicted within the next **hour**, λ = −ln(1 − b) per hour; AWS Spot
//     Advisor's bucket b is the share of instances interrupted over a
//     **month** (HoursPerMonth = 720 h), λ = −ln(1 − b)/720 per hour. Both
//     use the band's midpoint, and 25 % for the open top band (the midpoint
//     of a band as wide as the others; its upper end is unpublished):
//
//     Azure (per hour)  λ per hour  mean     AWS (per month)  λ per hour  mean
//     0-5               0.02532     39.5 h   <5%              3.516e-5    28438 h
//     5-10              0.07796     12.8 h   5-10%            1.083e-4    9235 h
//     10-15             0.1335      7.49 h   10-15%           1.855e-4    5392 h
//     15-20             0.1924      5.20 h   15-20%           2.672e-4    3743 h
//     20+ (or 20-100)   0.2877      3.48 h   >20%             3.996e-4    2503 h
//
//     Buckets() returns the table and BucketOf(provider, label) one row;
//     labels ignore spaces and a trailing "%", and a label of the other
//     provider is an error that says so. A Lifetime keeps the Band it
//     came from, for Describe.
//
//   - the bathtub shape of 24 h-capped preemptible VMs, dist.Bathtub
//     (dist.NewBathtub, dist.DefaultBathtub; DESIGN.md §3);
//
//   - a max_lifetime (GCP-style 24 h) over any model: the Dist's Cap, every
//     draw min(X, Cap), with the exact mean E[min(X, Cap)];
//
//   - weibull (shape < 1: young incarnations die most) and empirical
//     (observed lifetimes, each with probability 1/n, Quantile(u) the
//     ⌈u·n⌉-th smallest) are the family's own kinds.
//
// Describe says a lifetime in words, with its mean, median and hazard.
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
// now + the Lifetime's Sampler's Quantile(u(node, incarnation)). Per pool: walk the OnOff
// spells and the Events of crunches or a trace, evicting Nodes(L) nodes and
// blocking replacement until the blackout (or unavailable spell) ends. A nil
// Lifetime can stand for "never preempted".
package preempt
