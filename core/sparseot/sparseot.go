// Package sparseot solves sparsity-constrained optimal transport (Liu,
// Puigcerver, Blondel, ICLR 2023):
//
//	minimise <T, C> + (gamma/2) ||T||_F^2
//	over T >= 0, T 1 = a, T^T 1 = b, ||t_j||_0 <= k for every column t_j of T
//
// through its semi-dual (n variables, the default) or dual (n+m variables),
// maximised by L-BFGS. Each objective/gradient evaluation costs O(nm) plus an
// expected O(n) top-k selection per column (core/simplex), allocates nothing
// and never forms a dense n x m plan. k >= n is quadratically regularised OT;
// k = 1 with n = m gives unregularised OT.
package sparseot

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
)

// Method selects the problem the optimiser works on.
type Method string

const (
	// SemiDual maximises over alpha in R^n
	//	<alpha, a> - sum_j b_j M_k(alpha - c_j; b_j),
	//	M_k(x; b_j) = max over p in the simplex, ||p||_0 <= k, of <p, x> - (gamma b_j/2)||p||^2,
	// whose maximiser p = P_k(x/(gamma b_j)) gives column t_j = b_j p: the
	// column marginals hold exactly at every iterate.
	SemiDual Method = "semidual"
	// Dual maximises over (alpha, beta) in R^(n+m)
	//	<alpha, a> + <beta, b> - sum_j delta_k(alpha + beta_j 1 - c_j),
	//	delta_k(s) = (1/(2 gamma)) * sum over the k largest s_i of max(s_i, 0)^2,
	// with plan t_ij = max(alpha_i + beta_j - c_ij, 0)/gamma on the k largest
	// entries of column j. Neither marginal holds exactly before convergence.
	Dual Method = "dual"
)

// Sparsity selects which axis carries the cardinality bound.
type Sparsity string

const (
	// Column bounds the nonzeros of every column of T by k.
	Column Sparsity = "column"
	// Row bounds the nonzeros of every row of T by k (the transposed problem
	// is solved: cost^T, b and a swap roles).
	Row Sparsity = "row"
)

// Default settings.
const (
	DefaultMaxIter = 1000
	DefaultTol     = 1e-9
)

// Problem is one transport problem. n = len(A), m = len(B).
type Problem struct {
	// A (length n) and B (length m) are the positive source and target
	// weights; they may sum to any common total.
	A, B []float64
	// Cost is the n x m cost matrix, row-major: C_ij = Cost[i*m+j].
	Cost []float64
	// K is the largest number of nonzeros allowed in a constrained column
	// (or row), K >= 1. K >= n (rows: K >= m) removes the bound.
	K int
	// Gamma > 0 weights the quadratic regulariser (gamma/2)||T||_F^2.
	Gamma float64
}

// Settings tune a solve. The zero value selects the defaults.
type Settings struct {
	Method   Method   // "" means SemiDual
	Sparsity Sparsity // "" means Column
	// MaxIter bounds the L-BFGS iterations; 0 means DefaultMaxIter.
	MaxIter int
	// Tol stops the solve once the L1 marginal error of the iterate's plan,
	// relative to the total mass, is at most Tol (that error is the L1 norm
	// of the gradient of the objective). 0 means DefaultTol.
	Tol float64
	// Alpha0 (length n) and Beta0 (length m) warm-start the potentials. The
	// semi-dual optimises only the potential of the unconstrained side
	// (Alpha0 for Column, Beta0 for Row) and ignores the other.
	Alpha0, Beta0 []float64
	// Repair, when true, rescales the final plan on its support so that both
	// marginals hold (see Repair in the Result and repair.go).
	Repair bool
	// Control sets a time limit, cancellation and a progress hook
	// (objective = dual objective, residual = relative marginal error).
	Control *solver.Control
}

// Plan is a sparse transport plan in coordinate form: T[Rows[e]][Cols[e]] =
// Values[e]. Entries are grouped by the constrained axis (by column for
// Column, by row for Row), with increasing index inside each group.
type Plan struct {
	N, M   int
	Rows   []int32
	Cols   []int32
	Values []float64
}

// Result is the outcome of Solve. All figures are in the units of the input
// (the solver normalises the masses internally and scales back).
type Result struct {
	Plan Plan
	// TransportCost is sum_ij T_ij C_ij of the returned plan.
	TransportCost float64
	// Objective is the (semi-)dual objective at the returned potentials: a
	// lower bound on min <T, C> + (gamma/2)||T||^2 over feasible k-sparse
	// plans (the dual of a relaxation), equal to it at the optimum when k is
	// at least the column support of the quadratically regularised plan.
	Objective float64
	// Alpha (length n) and Beta (length m) are the dual potentials: the plan
	// is T_ij = max(Alpha_i + Beta_j - C_ij, 0)/gamma on its support. For the
	// semi-dual the implicit potential is minus the projection threshold of
	// each constrained column (row).
	Alpha, Beta []float64
	// SourceError = ||T 1 - a||_1 and TargetError = ||T^T 1 - b||_1.
	SourceError, TargetError float64
	// MaxNonzeros is the largest number of nonzeros in a constrained
	// column (row) of the plan.
	MaxNonzeros int
	// Repaired reports, when Settings.Repair was set, whether the repair
	// brought both marginal errors to at most Tol times the total mass.
	Repaired bool
	Status   solver.Status
	// Iterations counts L-BFGS iterations, Evaluations objective/gradient
	// evaluations (each one O(nm)).
	Iterations, Evaluations int
}

// Solve validates p and s, then solves the sparsity-constrained problem.
// The assignment case (k = 1, n = m, all weights equal) is solved exactly by
// an auction (see solveAssignment), which ignores MaxIter, Tol and the warm
// start; every other case runs L-BFGS on the chosen (semi-)dual. It
// returns a *solver.InputError naming the field (JS spelling: "a", "b",
// "cost", "k", "gamma", "method", "sparsity", "maxIter", "tol", "alpha0",
// "beta0") for bad input.
func Solve(p Problem, s Settings) (*Result, error) {
	if err := validate(&p, &s); err != nil {
		return nil, err
	}
	ctl := s.Control
	if ctl == nil {
		ctl = &solver.Control{}
	}
	ctl.Start()
	if isAssignment(p) {
		res := solveAssignment(p, s.Sparsity, ctl)
		res.Repaired = s.Repair // a permutation plan meets both marginals
		return res, nil
	}
	var total float64
	for _, v := range p.A {
		total += v
	}
	w := newOracle(p, s, total)

	// Starting point in the working orientation.
	x := make([]float64, w.dim())
	w0, w1 := s.Alpha0, s.Beta0
	if w.trans {
		w0, w1 = w1, w0
	}
	copy(x[:w.n], w0)
	if w.dual && w1 != nil {
		copy(x[w.n:], w1)
	}

	opt := newLBFGS(len(x), w)
	status, iters := opt.run(x, s.MaxIter, s.Tol, ctl, total)

	res := &Result{Status: status, Iterations: iters, Evaluations: w.evals}
	// The final pass at x records the plan (and the semi-dual thresholds).
	f := w.eval(x, opt.g, true)
	res.Objective = -f * total
	if s.Repair {
		res.Repaired = w.repair(x[:w.n], s.Tol)
	}
	w.export(res, x, total, p)
	return res, nil
}

// validate checks every field and fills in defaults.
func validate(p *Problem, s *Settings) error {
	n, m := len(p.A), len(p.B)
	if n == 0 {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "a", "must not be empty")
	}
	if m == 0 {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "b", "must not be empty")
	}
	if err := solver.CheckLen("cost", p.Cost, n*m); err != nil {
		return err
	}
	if err := solver.CheckPositive("a", p.A); err != nil {
		return err
	}
	if err := solver.CheckPositive("b", p.B); err != nil {
		return err
	}
	if err := solver.CheckFinite("cost", p.Cost); err != nil {
		return err
	}
	var sa, sb float64
	for _, v := range p.A {
		sa += v
	}
	for _, v := range p.B {
		sb += v
	}
	if math.IsInf(sa, 0) || math.IsInf(sb, 0) {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "a", "total weight overflows")
	}
	if math.Abs(sa-sb) > 1e-8*math.Max(sa, sb) {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "b", "sums to %v but a sums to %v; the totals must be equal", sb, sa)
	}
	if p.K < 1 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "k", "is %d; must be an integer >= 1", p.K)
	}
	if math.IsNaN(p.Gamma) || math.IsInf(p.Gamma, 0) {
		return solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "gamma", "is %v; must be finite", p.Gamma)
	}
	if p.Gamma <= 0 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "gamma", "is %v; must be > 0", p.Gamma)
	}
	switch s.Method {
	case "":
		s.Method = SemiDual
	case SemiDual, Dual:
	default:
		return solver.Errorf(solver.RangeErr, solver.CodeOption, "method", "unknown method %q; use \"semidual\" or \"dual\"", string(s.Method))
	}
	switch s.Sparsity {
	case "":
		s.Sparsity = Column
	case Column, Row:
	default:
		return solver.Errorf(solver.RangeErr, solver.CodeOption, "sparsity", "unknown sparsity %q; use \"column\" or \"row\"", string(s.Sparsity))
	}
	if s.MaxIter < 0 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxIter", "is %d; must be >= 0", s.MaxIter)
	}
	if s.MaxIter == 0 {
		s.MaxIter = DefaultMaxIter
	}
	if math.IsNaN(s.Tol) || math.IsInf(s.Tol, 0) {
		return solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "tol", "is %v; must be finite", s.Tol)
	}
	if s.Tol < 0 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "tol", "is %v; must be >= 0", s.Tol)
	}
	if s.Tol == 0 {
		s.Tol = DefaultTol
	}
	if s.Alpha0 != nil {
		if err := solver.CheckLen("alpha0", s.Alpha0, n); err != nil {
			return err
		}
		if err := solver.CheckFinite("alpha0", s.Alpha0); err != nil {
			return err
		}
	}
	if s.Beta0 != nil {
		if err := solver.CheckLen("beta0", s.Beta0, m); err != nil {
			return err
		}
		if err := solver.CheckFinite("beta0", s.Beta0); err != nil {
			return err
		}
	}
	return nil
}
