// Package fit fits duration models (node lifetimes, task run times) to
// observed data by maximum likelihood, with right-censoring, and ranks
// them by AIC with a goodness-of-fit test.
//
// Fit tries three families, each fitted by gonum's BFGS (optimize) on the
// analytic gradient of the log-likelihood in log parameters, the data
// scaled by their geometric mean:
//
//	exponential  mean m                 F(t) = 1 − e^{−t/m}
//	weibull      shape k, scale λ       F(t) = 1 − e^{−(t/λ)^k}
//	lognormal    median e^μ, sigma σ    F(t) = Φ((ln t − μ)/σ)
//
// A censored observation (a node still alive, a task still running when
// observation ended) contributes log S(t) instead of log f(t). Each
// parameter gets a 95 % Wald interval from the observed information (the
// inverse Hessian of the negative log-likelihood, by central differences of
// the gradient, gonum diff/fd and mat), taken on the log scale of positive
// parameters and mapped back. Models are ranked by AIC = 2k − 2 ln L, with
// ΔAIC and Akaike weights.
//
// Goodness of fit is the Kolmogorov–Smirnov distance between each fitted
// CDF and the Kaplan–Meier estimate (the empirical CDF when nothing is
// censored). Its textbook p-value would be wrong twice over (the
// parameters come from the same data, and censoring changes the null
// distribution), so the p-value is a parametric bootstrap: samples of the
// same size from the fitted model, censored by times drawn from the reverse
// Kaplan–Meier estimate of the censoring distribution, refitted, P = (1 +
// #{KS* ≥ KS})/(B + 1). With B = 199 its resolution is 0.005.
//
// A fitted Model converts to a dist.Dist (Model.Dist) and prints as the
// inline table a scenario accepts (Model.TOML). The observations come from
// package scenarios/importer's readers (ReadLifetimes, ReadDurations).
package fit
