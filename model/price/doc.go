// Package price models the spot price of a pool's low-priority nodes over
// simulated time, for billing and for price-driven eviction (DESIGN.md §3,
// AZURE.md §5).
//
// Every price is a right-continuous step function of time, in $ per
// node-hour: a Process. The pool needs three things from it:
//
//   - Cost: a node billed over [from, to) costs Integrate(from, to) dollars
//     (∫ price dt in hours, exact on the step path: prefix sums in $·ns).
//   - Eviction: a node with max price m ≥ 0 is evicted at
//     NextAbove(t, m), the first time ≥ t at which the price is strictly
//     above m (Azure: "current price > your max price"). Crossings happen
//     at step times, so they are exact integer times; a segment tree finds
//     them in O(log n) for any m.
//   - Re-allocation: NextAtOrBelow(t, m) is when a node with max price m
//     could be allocated again (Azure does not restart a VM evicted for
//     price by itself; whether the pool retries is the pool's choice).
//
// A max price of −1 (any negative m) means "pay up to the pay-as-you-go
// price, never evicted for price": NextAbove reports no crossing and
// NextAtOrBelow returns t. Billing at min(spot, dedicated) is then a Path
// capped at the dedicated price (OU.Cap, or Path.Clamp for a trace).
// NextChange walks the steps, for charts.
//
// # Processes
//
//   - Fixed(p): a constant price (Azure Batch's fixed low-priority discount).
//
//   - OU{Mean, Sigma, Reversion, Floor, Cap, Step}: a mean-reverting
//     Ornstein–Uhlenbeck price dX = θ(μ − X)dt + σ dW with θ = 1/Reversion
//     per hour, σ in $/h per √h; stationary law N(μ, σ²/(2θ)). Path(horizon,
//     r) samples it every Step (DefaultStep = 5 min) with the exact
//     transition X' = μ + (X − μ)e^{−θΔ} + σ√((1 − e^{−2θΔ})/(2θ))·Z, from
//     the stationary law, using one r.NormFloat64 per step (r: the pool's
//     sequential stream, e.g. sim.Streams.Rand("price/<pool>")). The
//     reported price is X clamped to [Floor, Cap]; Cap is the dedicated
//     price ("never above pay-as-you-go"; 0 = none), Floor ≥ 0. The latent X
//     is not clamped, so the long-run fraction of time above m is exactly
//     1 − Φ((m − μ)/(σ/√(2θ))) for Floor ≤ m < Cap (FractionAbove,
//     DESIGN.md §6). Paths are capped at MaxSteps steps.
//
//   - Path: any step path (NewPath(times, prices)); LoadTrace reads one from
//     a CSV price history with columns timestamp (RFC3339 relative to a
//     start, seconds, or a duration; alias time) and price. Rows at or
//     before 0 give the starting price; a first row after 0 holds from 0;
//     the last price holds forever. Errors are positioned, as
//     "prices.csv:3: column 2 (price): message" (*ParseError); rows and
//     bytes are capped (DefaultMaxRows, DefaultMaxBytes); times must
//     strictly increase and prices be finite and ≥ 0. WriteCSV writes a
//     path back in the same format.
//
// Equal consecutive prices are merged, so every step of a Path changes the
// price.
package price
