package fewshot

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
)

// model is the state of the bound optimiser for the energy
//
//	E(Y) = sum_p y_p.(log y_p + a_p) - (lambda/2) sum_p y_p.(W_sym Y)_p
//
// over n points and k classes, with a_pl = |x_p - m_l|^2. Rows [0, nFixed)
// (the support) are clamped to one-hot labels and never change.
type model struct {
	n, k, d int
	nFixed  int
	x       []float64 // n x d features
	xn      []float64 // n squared norms |x_p|^2
	g       graph
	lam     float64
	protos  []float64 // k x d prototypes m_l
	pn      []float64 // k squared norms |m_l|^2
	a       []float64 // n x k unary
	y, yNew []float64 // n x k assignments (rows on the simplex)
	f, fNew []float64 // n x k, W_sym Y
	lab     []int32   // n hard labels, argmax_l y_pl
	count   []int     // k class sizes, scratch of updatePrototypes
	sums    []float64 // k x d class sums, scratch of updatePrototypes

	maxInner   int
	innerTol   float64
	energy     []float64 // after every bound step
	innerSteps []int     // bound steps of each outer iteration
	safeguards int       // parallel steps replaced by a Gauss-Seidel sweep
	ctl        *solver.Control
}

func newModel(x []float64, n, k, d int, fixed []int, g graph, lam float64, lim Limits, ctl *solver.Control) *model {
	md := &model{
		n: n, k: k, d: d, nFixed: len(fixed), x: x, xn: rowNorms2(make([]float64, n), x, d), g: g, lam: lam,
		protos: make([]float64, k*d), pn: make([]float64, k), a: make([]float64, n*k),
		y: make([]float64, n*k), yNew: make([]float64, n*k),
		f: make([]float64, n*k), fNew: make([]float64, n*k),
		lab: make([]int32, n), count: make([]int, k), sums: make([]float64, k*d),
		maxInner: lim.MaxInner, innerTol: lim.InnerTol, ctl: ctl,
	}
	for p, l := range fixed {
		md.y[p*k+l], md.yNew[p*k+l] = 1, 1
		md.lab[p] = int32(l)
	}
	return md
}

// unary sets a_pl = |x_p - m_l|^2 = |x_p|^2 + |m_l|^2 - 2 x_p.m_l (the dot
// products in register blocks; rounding below 0 is clipped).
func (md *model) unary() {
	k := md.k
	crossDots(md.a, md.x, md.n, md.protos, k, md.d)
	pn := rowNorms2(md.pn, md.protos, md.d)
	for p := range md.n {
		for l := range k {
			md.a[p*k+l] = nonNeg(md.xn[p] + pn[l] - 2*md.a[p*k+l])
		}
	}
}

// nearest sets the labels of the free rows to argmin_l a_pl.
func (md *model) nearest() {
	k := md.k
	for p := md.nFixed; p < md.n; p++ {
		md.lab[p] = int32(argmin(md.a[p*k : (p+1)*k]))
	}
}

// updatePrototypes sets m_l to the mean of the points with hard label l and
// reports whether every class has a point; a class with none keeps m_l.
func (md *model) updatePrototypes() bool {
	d := md.d
	clear(md.count)
	clear(md.sums)
	for p := range md.n {
		l := int(md.lab[p])
		md.count[l]++
		m := md.sums[l*d : (l+1)*d]
		for t, v := range md.x[p*d : (p+1)*d] {
			m[t] += v
		}
	}
	full := true
	for l, c := range md.count {
		if c == 0 {
			full = false
			continue
		}
		inv := 1 / float64(c)
		for t, v := range md.sums[l*d : (l+1)*d] {
			md.protos[l*d+t] = v * inv
		}
	}
	return full
}

// softmaxRow writes y = softmax(z), z = -a + lambda f (f may be nil for
// lambda = 0), and returns log sum_l exp(z_l). Since log y_l = z_l - lse,
// the row's entropy-plus-unary energy is y.(log y + a) = lambda y.f - lse,
// which spares the logarithms in the energy.
func softmaxRow(y, a, f []float64, lam float64) (lse float64) {
	mx := math.Inf(-1)
	for l := range y {
		z := -a[l]
		if f != nil {
			z += lam * f[l]
		}
		y[l] = z
		if z > mx {
			mx = z
		}
	}
	s := 0.0
	for l, z := range y {
		e := expNeg(z - mx)
		y[l] = e
		s += e
	}
	for l := range y {
		y[l] /= s
	}
	return mx + math.Log(s)
}

// rowEnergy returns y.(log y + a) = lambda y.f - lse for a row written by
// softmaxRow from field f.
func rowEnergy(y, f []float64, lam, lse float64) float64 {
	s := 0.0
	for l, v := range y {
		s += v * f[l]
	}
	return lam*s - lse
}

// energyOf returns E(y) given f = W_sym y.
func (md *model) energyOf(y, f []float64) float64 {
	e, q := 0.0, 0.0
	for i, v := range y {
		if v > 0 {
			e += v * (math.Log(v) + md.a[i])
		}
		q += v * f[i]
	}
	return e - 0.5*md.lam*q
}

// bound minimises E over the free rows for the current unary term, starting
// from y_p = softmax(-a_p) in the first outer iteration and from the previous
// Y afterwards (the reference code restarts from softmax(-a_p); the warm
// start halves the bound steps of SLK-Means and clustering on digits with
// the same accuracy). Each step updates all free rows at once,
//
//	y_p <- softmax(-a_p + lambda (W_sym Y)_p),
//
// which minimises the linear upper bound of the Laplacian term at the
// current Y: the bound holds, and E cannot rise, when W_sym is positive
// semidefinite on the simplex directions. A kNN graph need not be, so a
// step that would raise E is replaced by one Gauss-Seidel sweep (the same
// update, point by point, each using the rows already updated), which
// minimises E exactly in each y_p and so never raises it. It stops when
// the relative change of E is at most innerTol (from the third step on, as
// the reference code does: Converged) or after maxInner steps (MaxIter), or
// returns TimeLimit or Canceled when the Control interrupts it.
func (md *model) bound() solver.Status {
	k := md.k
	exact := md.lam == 0 || !md.g.edges()
	if len(md.innerSteps) == 0 || exact {
		for p := md.nFixed; p < md.n; p++ {
			softmaxRow(md.y[p*k:(p+1)*k], md.a[p*k:(p+1)*k], nil, 0)
		}
	}
	if exact {
		// One exact step: without a pairwise term softmax(-a) is the minimiser.
		clear(md.f)
		md.energy = append(md.energy, md.energyOf(md.y, md.f))
		md.innerSteps = append(md.innerSteps, 1)
		md.ctl.Report(len(md.energy), md.energy[len(md.energy)-1], math.NaN())
		return solver.Converged
	}
	md.g.mulY(md.f, md.y, k)
	eOld := md.energyOf(md.y, md.f)
	fixed := 0.0 // sum of a_p.y_p over the clamped rows (their entropy is 0)
	for i, v := range md.y[:md.nFixed*k] {
		fixed += v * md.a[i]
	}
	steps := 0
	defer func() { md.innerSteps = append(md.innerSteps, steps) }()
	for i := range md.maxInner {
		if st, stop := md.ctl.Interrupted(); stop {
			return st
		}
		copy(md.yNew[:md.nFixed*k], md.y[:md.nFixed*k])
		e := fixed
		for p := md.nFixed; p < md.n; p++ {
			yp, fp := md.yNew[p*k:(p+1)*k], md.f[p*k:(p+1)*k]
			e += rowEnergy(yp, fp, md.lam, softmaxRow(yp, md.a[p*k:(p+1)*k], fp, md.lam))
		}
		md.g.mulY(md.fNew, md.yNew, k)
		e -= 0.5 * md.lam * dot(md.yNew, md.fNew)
		if e > eOld+1e-12*math.Abs(eOld) {
			md.safeguards++
			copy(md.yNew, md.y)
			fp := md.fNew[:k] // scratch; fNew is recomputed below
			e = fixed
			for p := md.nFixed; p < md.n; p++ {
				yp := md.yNew[p*k : (p+1)*k]
				md.g.rowDot(fp, md.yNew, p, k)
				e += rowEnergy(yp, fp, md.lam, softmaxRow(yp, md.a[p*k:(p+1)*k], fp, md.lam))
			}
			md.g.mulY(md.fNew, md.yNew, k)
			e -= 0.5 * md.lam * dot(md.yNew, md.fNew)
		}
		md.y, md.yNew = md.yNew, md.y
		md.f, md.fNew = md.fNew, md.f
		steps++
		rel := math.Abs(e-eOld) / math.Abs(eOld)
		md.energy = append(md.energy, e)
		md.ctl.Report(len(md.energy), e, rel)
		if i > 1 && math.Abs(e-eOld) <= md.innerTol*math.Abs(eOld) {
			return solver.Converged
		}
		eOld = e
	}
	return solver.MaxIter
}

// early finishes a solve interrupted before its graph or its initial
// prototypes were complete: one exact step without the Laplacian term, so
// the result holds the nearest-prototype assignment, and the Control's
// status (TimeLimit or Canceled).
func (md *model) early() solver.Status {
	st, _ := md.ctl.Interrupted()
	md.lam = 0
	md.unary()
	md.bound()
	md.hardLabels()
	return st
}

// hardLabels sets lab_p = argmax_l y_pl for the free rows.
func (md *model) hardLabels() {
	k := md.k
	for p := md.nFixed; p < md.n; p++ {
		md.lab[p] = int32(argmax(md.y[p*k : (p+1)*k]))
	}
}

// alternate runs the outer loop of SLK-Means / K-means: prototypes = class
// means of the current hard labels, then bound updates of Y, until the
// relative change of the final inner energy is at most tol (from the third
// outer iteration on, as in the reference code), maxIter outer iterations
// pass, or a class loses all its points (then the current state is kept).
// The labels must be initialised. It returns the status, the number of
// outer iterations and the last relative energy change.
func (md *model) alternate(maxIter int, tol float64) (solver.Status, int, float64) {
	eOld, rel := math.NaN(), math.NaN()
	for it := range maxIter {
		if !md.updatePrototypes() && it > 0 {
			return solver.Converged, it, rel
		}
		md.unary()
		st := md.bound()
		md.hardLabels()
		if st == solver.TimeLimit || st == solver.Canceled {
			return st, it + 1, rel
		}
		e := md.energy[len(md.energy)-1]
		rel = math.Abs(e-eOld) / math.Abs(eOld)
		if it > 1 && math.Abs(e-eOld) <= tol*math.Abs(eOld) {
			return solver.Converged, it + 1, rel
		}
		eOld = e
	}
	return solver.MaxIter, maxIter, rel
}

// nonNeg returns max(x, 0) without the NaN and signed-zero handling of the
// builtin max, which Go's wasm backend does not inline.
func nonNeg(x float64) float64 {
	if x < 0 {
		return 0
	}
	return x
}

// expNeg returns e^x for x <= 0, the softmax's exponentials. It is Go's
// portable math.Exp (the one the wasm build runs: range reduction
// x = k ln2 + r and a rational approximation of e^r) with the scaling by 2^k
// done on the exponent bits instead of by math.Ldexp, and without the
// special cases that cannot occur here: the same bits, about twice as fast
// in wasm. Below -700 (results near or below the subnormal range) it defers
// to math.Exp.
func expNeg(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		log2e = 1.44269504088896338700e+00
		p1    = 1.66666666666666657415e-01
		p2    = -2.77777777770155933842e-03
		p3    = 6.61375632143793436117e-05
		p4    = -1.65339022054652515390e-06
		p5    = 4.13813679705723846039e-08
	)
	if !(x > -700) || x > 0 {
		return math.Exp(x)
	}
	if x > -1.0/(1<<28) {
		return 1 + x
	}
	k := int(log2e*x - 0.5)
	hi := x - float64(k)*ln2Hi
	lo := float64(k) * ln2Lo
	r := hi - lo
	t := r * r
	c := r - t*(p1+t*(p2+t*(p3+t*(p4+t*p5))))
	y := 1 - ((lo - (r*c)/(2-c)) - hi)
	return y * math.Float64frombits(uint64(1023+k)<<52)
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func argmin(v []float64) int {
	best := 0
	for i, x := range v {
		if x < v[best] {
			best = i
		}
	}
	return best
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
