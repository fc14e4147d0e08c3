// Package halpern solves monotone inclusions 0 ∈ F(z) + N_C(z) (matrix games
// over two simplices, monotone affine problems over a box, and caller-supplied
// operators) by anchored (Halpern-type) methods, including the variance
// reduced methods for finite sums of Cai, Alacaoglu and Diakonikolas,
// "Variance Reduced Halpern Iteration for Finite-Sum Monotone Inclusions"
// (ICLR 2024).
//
// For games and affine problems F(z) = M z + q is split by columns into the
// finite sum F = (1/n) sum_i F_i, F_i(z) = n M[:, i] z_i + q, n = dim z. One
// oracle call is one F_i: a full evaluation of F costs n calls and a sampled
// difference F_i(z) - F_i(z') costs 2, so epochs = calls / n.
package halpern

import (
	"math"
	"math/rand/v2"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/core/vec"
)

// Method names accepted by Settings.Method.
const (
	// MethodAuto picks a method whose guarantee covers the problem class:
	// vr-halpern for affine problems with symmetric M (then F is
	// cocoercive), eag otherwise (games and merely monotone problems).
	MethodAuto = "auto"
	// MethodHalpern is forward-backward Halpern iteration
	// z_{k+1} = λ_k z_0 + (1 - λ_k) P(z_k - η F(z_k)), λ_k = 1/(k+2).
	// It converges when F is cocoercive; not on bilinear games.
	MethodHalpern = "halpern"
	// MethodEAG is the extra-anchored gradient method: with
	// a = λ_k z_0 + (1 - λ_k) z_k, λ_k = 1/(k+2),
	// ẑ = P(a - η F(z_k)) and z_{k+1} = P(a - η F(ẑ)).
	MethodEAG = "eag"
	// MethodVRHalpern is the paper's Algorithm 1 (cocoercive F):
	// z_{k+1} = P(λ_k z_0 + (1 - λ_k) z_k - η g_k), λ_k = 2/(k+4), with the
	// PAGE-type estimator g_k = F(z_k) with probability p_k, else
	// g_k = g_{k-1} + (n/b) sum_{i∈S} M[:, i](z_k - z_{k-1})_i, S a uniform
	// batch of b indices drawn without replacement.
	MethodVRHalpern = "vr-halpern"
	// MethodVRHalpernInexact is the paper's Algorithm 2 (monotone Lipschitz
	// F): z_{k+1} = λ_k z_0 + (1 - λ_k) z̃_k, λ_k = 1/(k+2), where z̃_k
	// approximates the resolvent (I + η(F + N_C))^{-1}(z_k) by
	// ceil(0.05 n ln(k+2)) steps of variance-reduced forward-reflected-
	// backward (VR-FoRB, Alacaoglu-Malitsky) with single-index samples.
	MethodVRHalpernInexact = "vr-halpern-inexact"
)

// Defaults used when a Settings field is zero.
const (
	DefaultMaxEpochs = 1000
	DefaultTol       = 1e-6
)

// restartFactor: with Settings.Restart, the anchor moves to the current
// point once the residual has fallen below restartFactor times its value at
// the last anchor. Anchored methods contract the residual like O(1/k) from
// the anchor, so restarting at a fixed fraction turns that into a linear rate
// on sharp problems (matrix games, LPs).
const restartFactor = 0.2

// Settings are the options of Solve. Zero values select the defaults.
type Settings struct {
	// Method is one of the Method* names; "" means MethodAuto.
	Method string
	// MaxEpochs bounds the oracle calls by MaxEpochs * n (never exceeded);
	// 0 means DefaultMaxEpochs.
	MaxEpochs float64
	// Tol stops the solve once the residual ||z - P(z - F(z))|| <= Tol; 0
	// means DefaultTol.
	Tol float64
	// StepSize overrides the default step η (for vr-halpern-inexact, the
	// resolvent parameter η). 0 means: from norms of the data (see Result.StepSize).
	StepSize float64
	// BatchSize overrides vr-halpern's batch b = floor(sqrt n); 0 means default.
	BatchSize int
	// Seed makes the sampled methods deterministic.
	Seed uint64
	// Restart enables adaptive restarts of the anchor (see restartFactor);
	// this is the mode that reaches tight tolerances.
	Restart bool
	// History records (OracleCalls, Residual) at every point whose residual
	// is known.
	History bool
	// Control sets the time limit, cancellation and progress hook.
	Control solver.Control
}

// History holds the residual trace: Residual[k] = ||z - P(z - F(z))|| at a
// point reached after OracleCalls[k] oracle calls.
type History struct {
	OracleCalls []float64
	Residual    []float64
}

// Result is the outcome of Solve. The returned point is the last iterate at
// which F was evaluated in full, so that its residual (and gap) are exact.
type Result struct {
	Status solver.Status
	// Method is the method that ran (auto resolved).
	Method string
	// Iterations counts outer iterations.
	Iterations int
	// Z is the solution; for games Z = (X, Y).
	Z []float64
	// X (length rows) and Y (length cols) are the strategies of a game.
	X, Y []float64
	// Residual is ||z - P(z - F(z))|| at Z.
	Residual float64
	// Gap is the duality gap max_j (A^T x)_j - min_i (A y)_i of a game
	// (NaN otherwise); Value is x^T A y (NaN otherwise).
	Gap, Value float64
	// OracleCalls counts component evaluations; Epochs = OracleCalls / n.
	OracleCalls int64
	Epochs      float64
	// StepSize and BatchSize are the values used.
	StepSize  float64
	BatchSize int
	// Restarts counts anchor restarts.
	Restarts int
	History  History
}

// Solve finds z in C with 0 ∈ F(z) + N_C(z) for the problem p by the method
// of s, starting from the uniform strategies (games) or the projection of
// 0 onto the box. It validates every input and returns a *solver.InputError
// for bad input; an error returned by an Operator's Apply is passed back.
func Solve(p *Problem, s *Settings) (*Result, error) {
	if p == nil {
		return nil, solver.Errorf(solver.TypeErr, solver.CodeMissing, "problem", "is required")
	}
	if s == nil {
		s = &Settings{}
	}
	lin, fn, dom, d, err := newProblem(p)
	if err != nil {
		return nil, err
	}
	method, err := checkSettings(s, p, lin, d)
	if err != nil {
		return nil, err
	}
	maxEpochs, tol := s.MaxEpochs, s.Tol
	if maxEpochs == 0 {
		maxEpochs = DefaultMaxEpochs
	}
	if tol == 0 {
		tol = DefaultTol
	}
	budget := math.Floor(maxEpochs * float64(d))
	r := &run{
		lin: lin, fn: fn, dom: dom, d: d, n: int64(d),
		budget: int64(min(budget, 1<<62)), tol: tol, restart: s.Restart,
		ctl: &s.Control, hist: s.History, rAnchor: math.Inf(1), rs: math.NaN(),
		zs: make([]float64, d), fs: make([]float64, d), tmp: make([]float64, d),
		rng: rand.New(rand.NewPCG(s.Seed, 0x9e3779b97f4a7c15)),
	}
	if g, ok := lin.(*gameOp); ok {
		r.game = g
	}
	if r.hist {
		c := int(min(maxEpochs+2, 1<<16))
		r.histCalls = make([]float64, 0, c)
		r.histRes = make([]float64, 0, c)
	}
	z0 := make([]float64, d)
	if g := r.game; g != nil {
		for i := range z0[:g.m] {
			z0[i] = 1 / float64(g.m)
		}
		for i := g.m; i < d; i++ {
			z0[i] = 1 / float64(g.n)
		}
	} else {
		dom.project(z0, z0)
	}
	copy(r.zs, z0)

	res := &Result{Method: method}
	s.Control.Start()
	eta := s.StepSize
	var status solver.Status
	switch method {
	case MethodHalpern, MethodEAG:
		adapt := false
		if eta == 0 {
			var l float64
			if lin != nil {
				l = lin.lipschitz()
			} else {
				if l, err = r.estimateLipschitz(z0); err != nil {
					return nil, err
				}
				adapt = method == MethodEAG
			}
			eta = stepFromNorm(l)
		}
		if method == MethodHalpern {
			status, err = r.halpern(z0, eta)
		} else {
			status, err = r.eag(z0, &eta, adapt)
		}
	case MethodVRHalpern:
		b := s.BatchSize
		if b == 0 {
			b = max(1, int(math.Sqrt(float64(d))))
		}
		res.BatchSize = b
		if eta == 0 {
			eta = stepFromNorm(frobenius(lin, d))
		}
		status, err = r.vrHalpern(z0, eta, b)
	case MethodVRHalpernInexact:
		if eta == 0 {
			if f := frobenius(lin, d); f > 0 {
				eta = math.Sqrt(float64(d)) / f
			} else {
				eta = 1
			}
		}
		status, err = r.vrInexact(z0, eta)
	}
	if err != nil {
		return nil, err
	}
	res.Status = status
	res.StepSize = eta
	r.finish(res)
	return res, nil
}

// stepFromNorm returns 1/L, or 1 when L = 0 (F constant: any step works).
func stepFromNorm(l float64) float64 {
	if l > 0 {
		return 1 / l
	}
	return 1
}

// frobenius returns ||M||_F = sqrt(sum_i ||M[:, i]||^2).
func frobenius(lin linear, d int) float64 {
	var s float64
	for i := 0; i < d; i++ {
		c := lin.columnNorm(i)
		s += c * c
	}
	return math.Sqrt(s)
}

// checkSettings validates s and resolves MethodAuto.
func checkSettings(s *Settings, p *Problem, lin linear, d int) (string, error) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"maxEpochs", s.MaxEpochs}, {"tol", s.Tol}, {"stepSize", s.StepSize}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return "", solver.Errorf(solver.RangeErr, solver.CodeNotFinite, f.name, "is %v; must be a finite number", f.v)
		}
		if f.v < 0 {
			return "", solver.Errorf(solver.RangeErr, solver.CodeDomain, f.name, "is %v; must be positive", f.v)
		}
	}
	if s.BatchSize < 0 || s.BatchSize > d {
		return "", solver.Errorf(solver.RangeErr, solver.CodeDomain, "batchSize", "is %d; must be between 1 and the dimension %d", s.BatchSize, d)
	}
	method := s.Method
	switch method {
	case "", MethodAuto:
		switch {
		case p.Affine != nil && isSymmetric(p.Affine.M, d):
			method = MethodVRHalpern
		default:
			method = MethodEAG
		}
	case MethodHalpern, MethodEAG:
	case MethodVRHalpern, MethodVRHalpernInexact:
		if lin == nil {
			return "", solver.Errorf(solver.RangeErr, solver.CodeOption, "method", "%q needs the finite-sum structure of a matrixGame or affine problem; an operator problem accepts %q, %q or %q", method, MethodAuto, MethodHalpern, MethodEAG)
		}
	default:
		return "", solver.Errorf(solver.RangeErr, solver.CodeOption, "method", "unknown method %q; want one of auto, halpern, eag, vr-halpern, vr-halpern-inexact", method)
	}
	return method, nil
}

// isSymmetric reports whether M = M^T up to rounding; a monotone symmetric M
// is positive semidefinite, so F = Mz + q is 1/||M||_2-cocoercive.
func isSymmetric(m []float64, n int) bool {
	var scale float64
	for _, v := range m {
		scale = max(scale, math.Abs(v))
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if math.Abs(m[i*n+j]-m[j*n+i]) > 1e-12*scale {
				return false
			}
		}
	}
	return true
}

// run is the state shared by the methods: the operator, the oracle budget,
// and the last point whose residual is known (the snapshot returned).
type run struct {
	lin     linear
	fn      func(dst, z []float64) error
	dom     *domain
	d       int
	n       int64 // number of components; a full F costs n calls
	calls   int64
	budget  int64
	tol     float64
	restart bool
	ctl     *solver.Control
	rng     *rand.Rand

	game     *gameOp // nil unless the problem is a game
	iter     int
	restarts int
	rAnchor  float64 // residual at the current anchor

	zs, fs []float64 // snapshot: z and F(z)
	rs     float64   // its residual
	tmp    []float64

	hist      bool
	histCalls []float64
	histRes   []float64
}

// full sets dst = F(z) and counts n oracle calls. A caller's operator must
// return finite values.
func (r *run) full(dst, z []float64) error {
	r.calls += r.n
	if r.lin != nil {
		r.lin.apply(dst, z)
		return nil
	}
	if err := r.fn(dst, z); err != nil {
		return err
	}
	for i, v := range dst {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return solver.Errorf(solver.RangeErr, solver.CodeCallback, "problem.apply", "returned %v at entry %d; the operator must return finite numbers", v, i)
		}
	}
	return nil
}

// affords reports whether c more oracle calls fit in the budget.
func (r *run) affords(c int64) bool { return r.calls+c <= r.budget }

// observe records that f = F(z): it computes the residual, stores the
// snapshot, appends to the history, reports progress and, with restarts,
// moves anchor to z when the residual has fallen enough (then it returns
// true). Its cost is O(n log n), no allocation unless the history grows.
func (r *run) observe(z, f, anchor []float64) (restarted bool) {
	rr := r.dom.residual(z, f, r.tmp)
	copy(r.zs, z)
	copy(r.fs, f)
	r.rs = rr
	if r.hist {
		r.histCalls = append(r.histCalls, float64(r.calls))
		r.histRes = append(r.histRes, rr)
	}
	if r.ctl.Progress != nil {
		gap := solver.NoFigure
		if r.game != nil {
			gap, _ = r.game.gapValue(z, f)
		}
		r.ctl.Report(r.iter, gap, rr)
	}
	if math.IsInf(r.rAnchor, 1) {
		r.rAnchor = rr
		return false
	}
	if r.restart && rr <= restartFactor*r.rAnchor {
		copy(anchor, z)
		r.rAnchor = rr
		r.restarts++
		return true
	}
	return false
}

// stop returns the status the solve ends with after an observation, if it
// must end: converged (residual <= tol), diverged (a non-finite residual,
// reported as MaxIter: a method used outside its problem class, such as
// vr-halpern on a strongly skew operator, or a step that is too long) or
// interrupted.
func (r *run) stop() (solver.Status, bool) {
	if r.rs <= r.tol {
		return solver.Converged, true
	}
	if math.IsNaN(r.rs) || math.IsInf(r.rs, 0) {
		return solver.MaxIter, true
	}
	return r.ctl.Interrupted()
}

// finish fills res from the snapshot.
func (r *run) finish(res *Result) {
	res.Iterations = r.iter
	res.Z = r.zs
	res.Residual = r.rs
	res.Gap, res.Value = math.NaN(), math.NaN()
	if g := r.game; g != nil {
		res.X, res.Y = r.zs[:g.m], r.zs[g.m:]
		if !math.IsNaN(r.rs) {
			res.Gap, res.Value = g.gapValue(r.zs, r.fs)
		}
	}
	res.OracleCalls = r.calls
	res.Epochs = float64(r.calls) / float64(r.n)
	res.Restarts = r.restarts
	res.History = History{OracleCalls: r.histCalls, Residual: r.histRes}
}

// estimateLipschitz estimates the Lipschitz constant of a caller's operator
// near z0 by finite differences along a power iteration of its Jacobian
// (three probes, counted as oracle calls). It is a lower estimate; EAG
// halves its step when a local check fails. Without budget for the probes
// it returns 1.
func (r *run) estimateLipschitz(z0 []float64) (float64, error) {
	const probes = 3
	if !r.affords(int64(probes+1) * r.n) {
		return 1, nil
	}
	d := r.d
	f0 := make([]float64, d)
	f1 := make([]float64, d)
	u := make([]float64, d)
	zt := make([]float64, d)
	if err := r.full(f0, z0); err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	h := 1e-6 * max(1, vec.Norm(z0))
	var l float64
	for p := 0; p < probes; p++ {
		nu := vec.Norm(u)
		if nu == 0 {
			break
		}
		for i := range zt {
			zt[i] = z0[i] + h*u[i]/nu
		}
		if err := r.full(f1, zt); err != nil {
			return 0, err
		}
		for i := range u {
			u[i] = (f1[i] - f0[i]) / h
		}
		l = max(l, vec.Norm(u))
	}
	if l == 0 {
		return 1, nil
	}
	return l, nil
}

// halpern runs forward-backward Halpern iteration with step eta.
func (r *run) halpern(z0 []float64, eta float64) (solver.Status, error) {
	d := r.d
	z, anchor := append([]float64(nil), z0...), append([]float64(nil), z0...)
	fz, t := make([]float64, d), make([]float64, d)
	if !r.affords(r.n) {
		return solver.MaxIter, nil
	}
	if err := r.full(fz, z); err != nil {
		return 0, err
	}
	r.observe(z, fz, anchor)
	k := 0
	for {
		if st, done := r.stop(); done {
			return st, nil
		}
		if !r.affords(r.n) {
			return solver.MaxIter, nil
		}
		lam := 1 / float64(k+2)
		for i := range t {
			t[i] = z[i] - eta*fz[i]
		}
		r.dom.project(t, t)
		for i := range z {
			z[i] = lam*anchor[i] + (1-lam)*t[i]
		}
		if err := r.full(fz, z); err != nil {
			return 0, err
		}
		r.iter++
		k++
		if r.observe(z, fz, anchor) {
			k = 0
		}
	}
}

// eag runs the extra-anchored gradient method with step *eta. With adapt,
// the step is halved (and the half-step redone) whenever the local
// Lipschitz check eta ||F(ẑ) - F(z)|| <= ||ẑ - z|| fails.
func (r *run) eag(z0 []float64, eta *float64, adapt bool) (solver.Status, error) {
	d := r.d
	z, anchor := append([]float64(nil), z0...), append([]float64(nil), z0...)
	fz, a, zh, fzh := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	if !r.affords(r.n) {
		return solver.MaxIter, nil
	}
	if err := r.full(fz, z); err != nil {
		return 0, err
	}
	r.observe(z, fz, anchor)
	k := 0
	for {
		if st, done := r.stop(); done {
			return st, nil
		}
		if !r.affords(2 * r.n) {
			return solver.MaxIter, nil
		}
		lam := 1 / float64(k+2)
		for i := range a {
			a[i] = lam*anchor[i] + (1-lam)*z[i]
		}
		for {
			for i := range zh {
				zh[i] = a[i] - *eta*fz[i]
			}
			r.dom.project(zh, zh)
			if err := r.full(fzh, zh); err != nil {
				return 0, err
			}
			if !adapt || *eta*dist(fzh, fz) <= dist(zh, z) {
				break
			}
			*eta /= 2
			if !r.affords(2 * r.n) {
				return solver.MaxIter, nil
			}
		}
		for i := range z {
			z[i] = a[i] - *eta*fzh[i]
		}
		r.dom.project(z, z)
		if err := r.full(fz, z); err != nil {
			return 0, err
		}
		r.iter++
		k++
		if r.observe(z, fz, anchor) {
			k = 0
		}
	}
}

// vrHalpern runs the paper's Algorithm 1 with step eta and batch b. The
// residual is known (for free) at the full evaluations of the estimator.
func (r *run) vrHalpern(z0 []float64, eta float64, b int) (solver.Status, error) {
	d := r.d
	z, zprev, anchor := append([]float64(nil), z0...), make([]float64, d), append([]float64(nil), z0...)
	g := make([]float64, d)
	perm := make([]int, d)
	for i := range perm {
		perm[i] = i
	}
	sqrtN := math.Sqrt(float64(d))
	scale := float64(d) / float64(b)
	k := 0
	for {
		lam := 2 / float64(k+4)
		fullStep := k <= 1
		if !fullStep {
			p := 4 / (sqrtN + 5)
			if float64(k-1) <= sqrtN {
				p = 4 / float64(k+4)
			}
			fullStep = r.rng.Float64() < p
		}
		if fullStep {
			if !r.affords(r.n) {
				return solver.MaxIter, nil
			}
			if err := r.full(g, z); err != nil {
				return 0, err
			}
			if r.observe(z, g, anchor) {
				k, lam = 0, 0.5
			}
			if st, done := r.stop(); done {
				return st, nil
			}
		} else {
			if !r.affords(2 * int64(b)) {
				return solver.MaxIter, nil
			}
			if st, done := r.ctl.Interrupted(); done {
				return st, nil
			}
			// Partial Fisher-Yates: perm[:b] becomes a uniform sample
			// without replacement, in O(b).
			for j := 0; j < b; j++ {
				s := j + r.rng.IntN(d-j)
				perm[j], perm[s] = perm[s], perm[j]
				i := perm[j]
				if delta := z[i] - zprev[i]; delta != 0 {
					r.lin.addColumn(g, i, scale*delta)
				}
			}
			r.calls += 2 * int64(b)
		}
		copy(zprev, z)
		for i := range z {
			z[i] = lam*anchor[i] + (1-lam)*z[i] - eta*g[i]
		}
		r.dom.project(z, z)
		k++
		r.iter++
	}
}

// vrInexact runs the paper's Algorithm 2 with resolvent parameter eta. The
// inner VR-FoRB solves 0 ∈ Φ(v) + N_C(v), Φ(v) = eta F(v) + v - x, which is
// 1-strongly monotone, with snapshot probability p = 1/n, α = 1 - p and step
// γ = sqrt(p(1-p)) / L_Φ, L_Φ = 1 + eta sqrt(n) max_i ||M[:, i]|| the
// mean-square Lipschitz constant of its single-column estimator.
func (r *run) vrInexact(z0 []float64, eta float64) (solver.Status, error) {
	d := r.d
	n := float64(d)
	x, anchor := append([]float64(nil), z0...), append([]float64(nil), z0...)
	fx, v, w, wprev, phiw, vbar := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	var maxCol float64
	for i := 0; i < d; i++ {
		maxCol = max(maxCol, r.lin.columnNorm(i))
	}
	p := 1 / n
	alpha := 1 - p
	gamma := inexactStepFactor * math.Sqrt(p*(1-p)) / (1 + eta*math.Sqrt(n)*maxCol)
	if d == 1 {
		gamma = 1 / (1 + eta*maxCol)
	}
	k := 0
	for {
		if !r.affords(r.n) {
			return solver.MaxIter, nil
		}
		if err := r.full(fx, x); err != nil {
			return 0, err
		}
		if r.observe(x, fx, anchor) {
			k = 0
		}
		if st, done := r.stop(); done {
			return st, nil
		}
		lam := 1 / float64(k+2)
		copy(v, x)
		copy(w, x)
		copy(wprev, x)
		same := true // wprev == w; copied only after a refresh of w
		for i := range phiw {
			phiw[i] = eta * fx[i]
		}
		steps := int(math.Ceil(0.05 * n * math.Log(float64(k+2))))
		for t := 0; t < steps; t++ {
			if !r.affords(2) {
				return solver.MaxIter, nil
			}
			if t&255 == 255 {
				if st, done := r.ctl.Interrupted(); done {
					return st, nil
				}
			}
			i := r.rng.IntN(d)
			// vbar = α v + (1-α) w - γ [Φ(w) + Φ_i(v) - Φ_i(wprev)], with
			// Φ_i(v) - Φ_i(wprev) = eta n M[:, i](v - wprev)_i + (v - wprev).
			for j := range vbar {
				vbar[j] = alpha*v[j] + (1-alpha)*w[j] - gamma*(phiw[j]+v[j]-wprev[j])
			}
			if delta := v[i] - wprev[i]; delta != 0 {
				r.lin.addColumn(vbar, i, -gamma*eta*n*delta)
			}
			r.calls += 2
			r.dom.project(v, vbar)
			if r.rng.Float64() < p {
				if !r.affords(r.n) {
					return solver.MaxIter, nil
				}
				// wprev <- w and w <- v by swapping buffers.
				w, wprev = wprev, w
				copy(w, v)
				same = false
				if err := r.full(phiw, w); err != nil {
					return 0, err
				}
				for j := range phiw {
					phiw[j] = eta*phiw[j] + w[j] - x[j]
				}
			} else if !same {
				copy(wprev, w)
				same = true
			}
		}
		for i := range x {
			x[i] = lam*anchor[i] + (1-lam)*v[i]
		}
		k++
		r.iter++
	}
}

// inexactStepFactor scales VR-FoRB's step above its worst-case bound, as the
// authors' experiments do (they use 5, which diverges on random games; 2 is
// robust in our runs); the bound uses the largest column,
// which is pessimistic for the average one.
const inexactStepFactor = 2

// dist returns ||a - b||_2.
func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		e := a[i] - b[i]
		s += e * e
	}
	return math.Sqrt(s)
}
