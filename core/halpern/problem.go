package halpern

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/optwasm/optwasm/core/simplex"
	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/core/vec"
)

// Game is the matrix game min over x in Δ_rows, max over y in Δ_cols of
// x^T A y, with A stored row-major (Rows x Cols) and Δ_k the probability
// simplex {x >= 0, sum x = 1} in R^k. Its monotone operator, on z = (x, y),
// is F(x, y) = (A y, -A^T x).
type Game struct {
	A          []float64
	Rows, Cols int
}

// Affine is the monotone inclusion 0 ∈ M z + q + N_B(z) over the box
// B = {Lower <= z <= Upper} (a nil bound means ±∞ in every coordinate, so
// both nil is all of R^n); M is n x n row-major with M + M^T positive
// semidefinite. With a box this is a box-constrained linear complementarity
// problem.
type Affine struct {
	M, Q         []float64
	Lower, Upper []float64
}

// Operator is the inclusion 0 ∈ F(z) + N_B(z) for a caller-supplied monotone
// F on R^Dim over the box B (nil bounds: unbounded). Apply must write F(z)
// into dst (len Dim) and be deterministic; an error it returns stops the
// solve and is passed back. Only the deterministic methods accept it.
type Operator struct {
	Dim          int
	Apply        func(dst, z []float64) error
	Lower, Upper []float64
}

// Problem holds exactly one of Game, Affine or Operator.
type Problem struct {
	Game     *Game
	Affine   *Affine
	Operator *Operator
}

// linear is an affine operator F(z) = M z + q together with its column
// (finite-sum) split F = (1/n) sum_i F_i, F_i(z) = n M[:, i] z_i + q.
type linear interface {
	// apply sets dst = M z + q.
	apply(dst, z []float64)
	// addColumn sets dst += s M[:, i].
	addColumn(dst []float64, i int, s float64)
	// columnNorm returns ||M[:, i]||_2.
	columnNorm(i int) float64
	// lipschitz returns the Lipschitz constant of F on the domain (an
	// estimate of ||M||_2 from above, restricted to the domain's directions).
	lipschitz() float64
}

// gameOp is F(x, y) = (A y, -A^T x) up to a constant vector per block. A
// constant added to a block of F changes neither the projection onto that
// block's simplex nor any iterate or residual, so it works with
// ac = A with centred columns and ar = A with centred rows:
// F~(x, y) = (ac y, -ar^T x). Centring removes the large mean part of A
// (policeman-burglar games have ||A||_2 ≈ 100 ||P A P||_2), which would
// otherwise force needlessly small steps. Every column of
// M = [[0, ac], [-ar^T, 0]] is a contiguous row of act = ac^T or of ar, and
// F~ is a sum of those rows, skipping the zero entries of sparse strategies.
type gameOp struct {
	m, n int
	act  []float64 // n x m: row k is column k of A minus its mean
	ar   []float64 // m x n: row i is row i of A minus its mean
	// colMean[k] and rowMean[i] restore the true payoffs:
	// A y = ac y + (colMean . y) 1 and A^T x = ar^T x + (rowMean . x) 1.
	colMean, rowMean []float64
}

func newGameOp(a []float64, m, n int) *gameOp {
	g := &gameOp{m: m, n: n, act: make([]float64, n*m), ar: make([]float64, m*n),
		colMean: make([]float64, n), rowMean: make([]float64, m)}
	for i := 0; i < m; i++ {
		for k := 0; k < n; k++ {
			g.colMean[k] += a[i*n+k] / float64(m)
			g.rowMean[i] += a[i*n+k] / float64(n)
		}
	}
	for i := 0; i < m; i++ {
		for k := 0; k < n; k++ {
			g.act[k*m+i] = a[i*n+k] - g.colMean[k]
			g.ar[i*n+k] = a[i*n+k] - g.rowMean[i]
		}
	}
	return g
}

func (g *gameOp) apply(dst, z []float64) {
	m := g.m
	fx, fy := dst[:m], dst[m:]
	clear(dst)
	for k, yk := range z[m:] {
		if yk != 0 {
			vec.Axpy(fx, yk, g.act[k*m:(k+1)*m])
		}
	}
	for i, xi := range z[:m] {
		if xi != 0 {
			vec.Axpy(fy, -xi, g.ar[i*g.n:(i+1)*g.n])
		}
	}
}

func (g *gameOp) addColumn(dst []float64, i int, s float64) {
	m, n := g.m, g.n
	if i < m {
		vec.Axpy(dst[m:], -s, g.ar[i*n:(i+1)*n])
	} else {
		k := i - m
		vec.Axpy(dst[:m], s, g.act[k*m:(k+1)*m])
	}
}

func (g *gameOp) columnNorm(i int) float64 {
	m, n := g.m, g.n
	if i < m {
		return vec.Norm(g.ar[i*n : (i+1)*n])
	}
	k := i - m
	return vec.Norm(g.act[k*m : (k+1)*m])
}

// lipschitz returns ||P_m A P_n||_2 (P_k = I - 11^T/k), the Lipschitz
// constant of F on the product of simplices, whose differences have zero
// block sums.
func (g *gameOp) lipschitz() float64 {
	m, n := g.m, g.n
	u := make([]float64, m)
	return powerNorm(n, func(w, v []float64) {
		centre(v)
		clear(u)
		for k, vk := range v {
			vec.Axpy(u, vk, g.act[k*m:(k+1)*m]) // u = P_m A v for centred v
		}
		clear(w)
		for i, ui := range u {
			vec.Axpy(w, ui, g.ar[i*n:(i+1)*n])
		}
		centre(w) // w = P_n A^T u
	})
}

// gapValue returns, for z = (x, y) and f = F~(z), the duality gap
// max_j (A^T x)_j - min_i (A y)_i and the value x^T A y.
func (g *gameOp) gapValue(z, f []float64) (gap, value float64) {
	m := g.m
	x, y := z[:m], z[m:]
	cy, rx := vec.Dot(g.colMean, y), vec.Dot(g.rowMean, x)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range f[:m] {
		lo = min(lo, v+cy)
	}
	for _, v := range f[m:] {
		hi = max(hi, rx-v)
	}
	var sx float64
	for _, xi := range x {
		sx += xi
	}
	return hi - lo, vec.Dot(x, f[:m]) + cy*sx
}

// affineOp stores M by columns (mt = M^T row-major) so that both F(z) =
// q + sum_i z_i M[:, i] and one column are contiguous passes; zero
// coordinates of z (common at box bounds) are skipped.
type affineOp struct {
	n     int
	mt, q []float64
}

func (a *affineOp) apply(dst, z []float64) {
	copy(dst, a.q)
	for i, zi := range z {
		if zi != 0 {
			vec.Axpy(dst, zi, a.mt[i*a.n:(i+1)*a.n])
		}
	}
}

func (a *affineOp) addColumn(dst []float64, i int, s float64) {
	vec.Axpy(dst, s, a.mt[i*a.n:(i+1)*a.n])
}

func (a *affineOp) columnNorm(i int) float64 { return vec.Norm(a.mt[i*a.n : (i+1)*a.n]) }

// mul sets dst = M v.
func (a *affineOp) mul(dst, v []float64) {
	clear(dst)
	for i, vi := range v {
		if vi != 0 {
			vec.Axpy(dst, vi, a.mt[i*a.n:(i+1)*a.n])
		}
	}
}

// mulT sets dst = M^T v.
func (a *affineOp) mulT(dst, v []float64) {
	for i := range dst {
		dst[i] = vec.Dot(a.mt[i*a.n:(i+1)*a.n], v)
	}
}

// lipschitz returns ||M||_2.
func (a *affineOp) lipschitz() float64 {
	u := make([]float64, a.n)
	return powerNorm(a.n, func(w, v []float64) {
		a.mul(u, v)
		a.mulT(w, u)
	})
}

// powerNorm estimates sqrt(λ_max(B)) = ||M||_2 for the positive semidefinite
// B = M^T M applied by mulGram(w, v): w = B v (it may modify v), by power
// iteration from a fixed pseudo-random start (a constant start can be
// orthogonal to the top singular vector, as in rock-paper-scissors). It stops
// at a relative change of 1e-4 (at most 100 products, a few epochs of work);
// power iteration approaches from below, within about 1% by then even when
// the top singular values are close, so the estimate is enlarged by 2%.
func powerNorm(n int, mulGram func(w, v []float64)) float64 {
	v := make([]float64, n)
	w := make([]float64, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range v {
		v[i] = r.NormFloat64()
	}
	var est float64
	for it := 0; it < 100; it++ {
		nv := vec.Norm(v)
		if nv == 0 {
			return 0
		}
		vec.Scale(v, 1/nv)
		mulGram(w, v)
		prev := est
		est = math.Sqrt(vec.Norm(w))
		v, w = w, v
		if it > 5 && math.Abs(est-prev) <= 1e-4*est {
			break
		}
	}
	return 1.02 * est
}

// centre subtracts the mean from every entry of v.
func centre(v []float64) {
	var s float64
	for _, x := range v {
		s += x
	}
	s /= float64(len(v))
	for i := range v {
		v[i] -= s
	}
}

// domain is the constraint set: the product Δ_m x Δ_(n-m) of two simplices
// (games) or a box (lo, hi; infinite entries allowed).
type domain struct {
	game   bool
	m      int
	lo, hi []float64
	theta  [2]float64 // last simplex thresholds, to warm-start the next projection
	thetaR [2]float64 // the same for the residual's projections, a different sequence
	sorted []float64  // scratch for the sort-based fallback
	rev    []int      // rev[len-k:] lists 0..k-1 in decreasing order
}

func newSimplexDomain(m, n int) *domain {
	k := max(m, n)
	rev := make([]int, k)
	for i := range rev {
		rev[i] = k - 1 - i
	}
	inf := [2]float64{math.Inf(1), math.Inf(1)}
	return &domain{game: true, m: m, sorted: make([]float64, k), rev: rev, theta: inf, thetaR: inf}
}

// project sets dst = P(v), the Euclidean projection onto the domain. dst may
// alias v.
func (d *domain) project(dst, v []float64) { d.projectWarm(dst, v, &d.theta) }

// projectWarm is project with the simplex thresholds warm-started from and
// stored to theta.
func (d *domain) projectWarm(dst, v []float64, theta *[2]float64) {
	if d.game {
		d.projectSimplex(dst[:d.m], v[:d.m], &theta[0])
		d.projectSimplex(dst[d.m:], v[d.m:], &theta[1])
		return
	}
	for i, vi := range v {
		dst[i] = min(max(vi, d.lo[i]), d.hi[i])
	}
}

// projectSimplex sets dst = argmin{||x - v|| : x >= 0, sum x = 1}, that is
// x_i = max(v_i - θ, 0) with θ the root of g(θ) = sum_i max(v_i - θ, 0) - 1.
// g is convex, decreasing and piecewise linear, so Newton's step
// θ <- (sum_{v_i > θ} v_i - 1) / #{v_i > θ} lands at or left of the root from
// any start and then climbs to it monotonically, ending exactly when the
// support stops changing. Iterates move little between calls, so starting
// from the previous θ (*theta) takes two or three O(n) passes; after
// maxNewton passes it falls back to the O(n log n) sort-based rule.
func (d *domain) projectSimplex(dst, v []float64, theta *float64) {
	const maxNewton = 24
	t := *theta
	prev := -1
	converged := false
	for pass := 0; pass < maxNewton; pass++ {
		var sum float64
		cnt := 0
		for _, vi := range v {
			if vi > t {
				sum += vi
				cnt++
			}
		}
		if cnt == 0 {
			// t is right of every entry: max(v) - 1 is a lower bound on θ.
			t = math.Inf(-1)
			for _, vi := range v {
				t = max(t, vi)
			}
			t--
			continue
		}
		if cnt == prev {
			converged = true
			break
		}
		prev = cnt
		t = (sum - 1) / float64(cnt)
	}
	if !converged {
		k := len(v)
		u := d.sorted[:k]
		copy(u, v)
		slices.Sort(u)
		t, _ = simplex.Threshold(u, d.rev[len(d.rev)-k:], 1)
	}
	*theta = t
	for i, vi := range v {
		dst[i] = max(vi-t, 0)
	}
}

// residual returns ||z - P(z - f)||, the fixed-point residual with unit
// step, using tmp as scratch.
func (d *domain) residual(z, f, tmp []float64) float64 {
	for i := range z {
		tmp[i] = z[i] - f[i]
	}
	d.projectWarm(tmp, tmp, &d.thetaR)
	var s float64
	for i := range z {
		e := z[i] - tmp[i]
		s += e * e
	}
	return math.Sqrt(s)
}

// minRayleigh searches for a direction u with u^T M u < 0, which certifies
// that M is not monotone, by power iteration on sigma I - (M + M^T)/2. It
// returns the smallest Rayleigh quotient u^T M u / u^T u found.
func minRayleigh(op *affineOp, n int, sigma float64) float64 {
	u := make([]float64, n)
	mu := make([]float64, n)
	mtu := make([]float64, n)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range u {
		u[i] = r.NormFloat64()
	}
	best := math.Inf(1)
	for it := 0; it < 60; it++ {
		vec.Scale(u, 1/vec.Norm(u))
		op.mul(mu, u)
		op.mulT(mtu, u)
		rq := vec.Dot(u, mu)
		best = min(best, rq)
		for i := range u {
			u[i] = sigma*u[i] - 0.5*(mu[i]+mtu[i])
		}
		if vec.Norm(u) == 0 {
			break
		}
	}
	return best
}

// newProblem validates p and returns its operator parts, domain and
// dimension. Exactly one of the returned lin and fn is non-nil.
func newProblem(p *Problem) (lin linear, fn func(dst, z []float64) error, dom *domain, dim int, err error) {
	count := 0
	for _, set := range []bool{p.Game != nil, p.Affine != nil, p.Operator != nil} {
		if set {
			count++
		}
	}
	if count != 1 {
		return nil, nil, nil, 0, solver.Errorf(solver.TypeErr, solver.CodeMissing, "problem", "exactly one problem type (matrixGame, affine or operator) is required")
	}
	switch {
	case p.Game != nil:
		g := p.Game
		if g.Rows < 1 || g.Cols < 1 {
			return nil, nil, nil, 0, solver.Errorf(solver.RangeErr, solver.CodeShape, "problem.A", "must have at least one row and one column, got %d x %d", g.Rows, g.Cols)
		}
		if len(g.A) != g.Rows*g.Cols {
			return nil, nil, nil, 0, solver.Errorf(solver.TypeErr, solver.CodeShape, "problem.A", "has %d entries, want rows*cols = %d*%d", len(g.A), g.Rows, g.Cols)
		}
		if err := solver.CheckFinite("problem.A", g.A); err != nil {
			return nil, nil, nil, 0, err
		}
		return newGameOp(g.A, g.Rows, g.Cols), nil, newSimplexDomain(g.Rows, g.Cols), g.Rows + g.Cols, nil
	case p.Affine != nil:
		a := p.Affine
		n := len(a.Q)
		if n < 1 {
			return nil, nil, nil, 0, solver.Errorf(solver.TypeErr, solver.CodeShape, "problem.q", "must not be empty")
		}
		if len(a.M) != n*n {
			return nil, nil, nil, 0, solver.Errorf(solver.TypeErr, solver.CodeShape, "problem.M", "has %d entries, want n*n = %d with n = len(q) = %d", len(a.M), n*n, n)
		}
		if err := solver.CheckFinite("problem.M", a.M); err != nil {
			return nil, nil, nil, 0, err
		}
		if err := solver.CheckFinite("problem.q", a.Q); err != nil {
			return nil, nil, nil, 0, err
		}
		dom, err := newBox(n, a.Lower, a.Upper)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		mt := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				mt[j*n+i] = a.M[i*n+j]
			}
		}
		op := &affineOp{n: n, mt: mt, q: a.Q}
		if err := checkMonotone(op, a.M, n); err != nil {
			return nil, nil, nil, 0, err
		}
		return op, nil, dom, n, nil
	default:
		o := p.Operator
		if o.Dim < 1 {
			return nil, nil, nil, 0, solver.Errorf(solver.RangeErr, solver.CodeDomain, "problem.dim", "must be a positive integer, got %d", o.Dim)
		}
		if o.Apply == nil {
			return nil, nil, nil, 0, solver.Errorf(solver.TypeErr, solver.CodeMissing, "problem.apply", "is required")
		}
		dom, err := newBox(o.Dim, o.Lower, o.Upper)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		return nil, o.Apply, dom, o.Dim, nil
	}
}

// checkMonotone rejects M when a negative diagonal entry or a direction with
// u^T M u < 0 (found by minRayleigh) proves that M + M^T is not positive
// semidefinite. Tiny negative quotients, within rounding of ||M||, pass.
func checkMonotone(op *affineOp, m []float64, n int) error {
	for i := 0; i < n; i++ {
		if m[i*n+i] < 0 {
			return solver.Errorf(solver.RangeErr, solver.CodeDomain, "problem.M", "is not monotone: M[%d][%d] = %v < 0, so M + M^T is not positive semidefinite", i, i, m[i*n+i])
		}
	}
	sigma := op.lipschitz()
	if sigma == 0 {
		return nil
	}
	if rq := minRayleigh(op, n, sigma); rq < -1e-9*sigma {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "problem.M", "is not monotone: found u with u^T M u = %.3g ||u||^2 < 0 (M + M^T must be positive semidefinite)", rq)
	}
	return nil
}

// newBox validates the bounds and returns the box domain; nil bounds are
// infinite.
func newBox(n int, lower, upper []float64) (*domain, error) {
	lo := make([]float64, n)
	hi := make([]float64, n)
	for i := range lo {
		lo[i], hi[i] = math.Inf(-1), math.Inf(1)
	}
	if lower != nil {
		if err := solver.CheckLen("problem.lower", lower, n); err != nil {
			return nil, err
		}
		for i, v := range lower {
			if math.IsNaN(v) || math.IsInf(v, 1) {
				return nil, solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "problem.lower", "entry %d is %v; lower bounds must be numbers below +Infinity", i, v)
			}
		}
		copy(lo, lower)
	}
	if upper != nil {
		if err := solver.CheckLen("problem.upper", upper, n); err != nil {
			return nil, err
		}
		for i, v := range upper {
			if math.IsNaN(v) || math.IsInf(v, -1) {
				return nil, solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "problem.upper", "entry %d is %v; upper bounds must be numbers above -Infinity", i, v)
			}
		}
		copy(hi, upper)
	}
	for i := range lo {
		if lo[i] > hi[i] {
			return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "problem.lower", "entry %d is %v > upper[%d] = %v", i, lo[i], i, hi[i])
		}
	}
	return &domain{lo: lo, hi: hi}, nil
}
