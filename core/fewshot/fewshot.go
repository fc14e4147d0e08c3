// Package fewshot implements transductive few-shot inference and clustering
// with the Laplacian-regularised K-means model of Ziko, Boudiaf, Dolz,
// Granger and Ben Ayed, "Transductive Few-Shot Learning: Clustering is All
// You Need?" (2021), and LaplacianShot (Ziko et al., ICML 2020).
//
// Points x_p get soft assignments y_p in the simplex of K classes, and the
// solvers minimise
//
//	E(Y) = sum_p y_p.(log y_p + a_p) - (lambda/2) sum_pq w_pq y_p.y_q,
//	a_pl = |x_p - m_l|^2,
//
// with W = W_sym = (W_knn + W_knn^T)/2 the symmetrised binary kNN graph
// (W_knn links each point to its knn-1 nearest other points, as in the
// reference code). Labelled (support) points are clamped to their one-hot
// labels. The quadratic form only sees the symmetric part of W, so E is the
// same for W_knn and W_sym; using W_sym in the update makes each point's
// update the exact minimiser of E in y_p, which is what the monotone
// safeguard of the bound optimiser relies on (see model.bound). The update
// field lambda (W_sym Y)_p is the reference code's lambda (W Y)_p with W
// symmetrised, so its lambda values carry over (its energy printout weighs
// the pairwise term by lambda, not lambda/2, which does not match its own
// update).
package fewshot

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
)

// Method selects the few-shot inference rule.
type Method string

const (
	// SLKMeans alternates prototypes m_l = means of the hard labels with
	// bound updates of Y over support + queries (the paper's general model).
	SLKMeans Method = "slk-means"
	// LaplacianShot fixes m_l to the support class means and runs the bound
	// updates over a queries-only graph.
	LaplacianShot Method = "laplacianshot"
	// KMeans is SLKMeans with lambda = 0.
	KMeans Method = "kmeans"
	// Prototype assigns each query to the nearest support class mean
	// (inductive baseline; probabilities softmax(-a_p)).
	Prototype Method = "prototype"
)

// Preprocess selects the feature transform applied before inference.
type Preprocess string

const (
	// CenterL2 subtracts a centre (the mean of all points, or the given
	// Center) and then scales every row to unit Euclidean norm.
	CenterL2 Preprocess = "center-l2"
	// L2 scales every row to unit Euclidean norm.
	L2 Preprocess = "l2"
	// None leaves the features as given.
	None Preprocess = "none"
)

// maxAbs bounds input magnitudes so that squared distances cannot overflow.
const maxAbs = 1e100

// Limits are the stopping rules of the two nested loops.
type Limits struct {
	// MaxIter caps the outer iterations (prototype update + bound loop).
	MaxIter int
	// Tol stops the outer loop when |E_t - E_{t-1}| <= Tol |E_{t-1}| for the
	// final inner energies of successive outer iterations (t >= 2).
	Tol float64
	// MaxInner caps the bound-optimiser steps of one outer iteration.
	MaxInner int
	// InnerTol stops the bound loop at relative energy change <= InnerTol
	// (from the third step on).
	InnerTol float64
}

// defaultLimits are the reference code's rules: outer 1e-4 / 100, inner 1e-7 / 600.
var defaultLimits = Limits{MaxIter: 100, Tol: 1e-4, MaxInner: 600, InnerTol: 1e-7}

// Problem is one few-shot episode: labelled support points and unlabelled
// queries, all of dimension Dim, stored row-major.
type Problem struct {
	Support       []float64 // nSupport x Dim
	SupportLabels []int     // nSupport labels in [0, NumClasses)
	Query         []float64 // nQuery x Dim
	Dim           int
	// NumClasses is K; 0 means 1 + the largest support label.
	NumClasses int
	// Center, when non-nil (length Dim), replaces the episode mean in the
	// CenterL2 preprocessing.
	Center []float64
}

// Settings are the options of Solve; DefaultSettings gives the defaults.
type Settings struct {
	Method Method
	// Lambda is the Laplacian weight; nil means the method's default (0.7
	// for SLKMeans, 1 for LaplacianShot). KMeans and Prototype use 0.
	Lambda     *float64
	KNN        int // graph links to the KNN-1 nearest other points
	Preprocess Preprocess
	Limits
}

// DefaultSettings returns SLKMeans, the method's lambda, KNN 3, CenterL2 and
// the reference stopping rules.
func DefaultSettings() *Settings {
	return &Settings{Method: SLKMeans, KNN: 3, Preprocess: CenterL2, Limits: defaultLimits}
}

// Result is the outcome of Solve or Cluster.
type Result struct {
	// Labels are argmax_l y_pl: one per query (Solve) or per point (Cluster).
	Labels []int32
	// Probabilities are the rows y_p of those points, row-major (points x K).
	Probabilities []float64
	// Prototypes are the final m_l (K x Dim) in the preprocessed feature space.
	Prototypes []float64
	NumClasses int
	Dim        int
	// Energy is E(Y) after every bound-optimiser step, across all outer
	// iterations; InnerSteps[t] steps belong to outer iteration t, and
	// within each of those runs the energy never increases.
	Energy     []float64
	InnerSteps []int
	// Safeguards counts parallel steps replaced by a Gauss-Seidel sweep
	// because they would have raised E.
	Safeguards int
	// RelChange is the last relative change of the outer energy (NaN if
	// fewer than two outer iterations ran).
	RelChange float64
	Status    solver.Status
	// Iterations counts outer iterations (1 for LaplacianShot and Prototype).
	Iterations int
}

// Solve runs transductive inference on one episode: it preprocesses the
// features, builds the kNN graph of the method and minimises E(Y) with the
// support rows clamped (see the package comment and Method).
func Solve(p *Problem, s *Settings, ctl *solver.Control) (*Result, error) {
	md, iters, rel, st, err := solve(p, s, ctl)
	if err != nil {
		return nil, err
	}
	return md.result(md.n-len(p.Query)/p.Dim, iters, rel, st), nil
}

// solve is Solve returning the model itself, so that tests can inspect the
// support rows.
func solve(p *Problem, s *Settings, ctl *solver.Control) (md *model, iters int, rel float64, st solver.Status, err error) {
	if s == nil {
		s = DefaultSettings()
	}
	k, lam, err := validate(p, s)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	if ctl == nil {
		ctl = &solver.Control{}
	}
	ctl.Start()
	d := p.Dim
	ns, nq := len(p.SupportLabels), len(p.Query)/d
	n := ns + nq
	x := make([]float64, n*d)
	copy(x, p.Support)
	copy(x[ns*d:], p.Query)
	preprocess(x, n, d, s.Preprocess, p.Center)
	if s.Method == SLKMeans || s.Method == KMeans {
		shiftQueries(x, ns, nq, d)
	}
	protos := make([]float64, k*d)
	counts := make([]int, k)
	for i, l := range p.SupportLabels {
		counts[l]++
		for t, v := range x[i*d : (i+1)*d] {
			protos[l*d+t] += v
		}
	}
	for l, c := range counts {
		for t := range d {
			protos[l*d+t] /= float64(c)
		}
	}

	iters, rel = 1, math.NaN()
	g, ok := graph{rowPtr: make([]int32, n+1)}, true
	switch s.Method {
	case Prototype, LaplacianShot:
		if s.Method == LaplacianShot && lam != 0 {
			g, ok = knnGraph(x[ns*d:], nq, d, s.KNN-1, ctl)
		}
		md = newModel(x[ns*d:], nq, k, d, nil, g, lam, s.Limits, ctl)
		copy(md.protos, protos)
		if !ok {
			return md, 0, rel, md.early(), nil
		}
		md.unary()
		st = md.bound()
		md.hardLabels()
	default:
		if lam != 0 {
			g, ok = knnGraph(x, n, d, s.KNN-1, ctl)
		}
		md = newModel(x, n, k, d, p.SupportLabels, g, lam, s.Limits, ctl)
		copy(md.protos, protos)
		if !ok {
			return md, 0, rel, md.early(), nil
		}
		md.unary()
		md.nearest()
		st, iters, rel = md.alternate(s.MaxIter, s.Tol)
	}
	return md, iters, rel, st, nil
}

// result packs rows [off, n) of the model into a Result.
func (md *model) result(off, iters int, rel float64, st solver.Status) *Result {
	k := md.k
	return &Result{
		Labels:        append([]int32(nil), md.lab[off:]...),
		Probabilities: append([]float64(nil), md.y[off*k:]...),
		Prototypes:    append([]float64(nil), md.protos...),
		NumClasses:    k,
		Dim:           md.d,
		Energy:        md.energy,
		InnerSteps:    md.innerSteps,
		Safeguards:    md.safeguards,
		RelChange:     rel,
		Status:        st,
		Iterations:    iters,
	}
}

// validate checks p and s and returns K and the effective lambda.
func validate(p *Problem, s *Settings) (int, float64, error) {
	d := p.Dim
	if d < 1 {
		return 0, 0, solver.Errorf(solver.RangeErr, solver.CodeDomain, "dim", "is %d; must be >= 1", d)
	}
	if err := checkMatrix("support", p.Support, d); err != nil {
		return 0, 0, err
	}
	if err := checkMatrix("query", p.Query, d); err != nil {
		return 0, 0, err
	}
	ns, nq := len(p.Support)/d, len(p.Query)/d
	if ns == 0 {
		return 0, 0, solver.Errorf(solver.TypeErr, solver.CodeShape, "support", "is empty; need at least one labelled point")
	}
	if nq == 0 {
		return 0, 0, solver.Errorf(solver.TypeErr, solver.CodeShape, "query", "is empty; need at least one query")
	}
	if len(p.SupportLabels) != ns {
		return 0, 0, solver.Errorf(solver.TypeErr, solver.CodeShape, "supportLabels", "has length %d, want %d (one per support row)", len(p.SupportLabels), ns)
	}
	k := p.NumClasses
	if k < 0 {
		return 0, 0, solver.Errorf(solver.RangeErr, solver.CodeDomain, "numClasses", "is %d; must be >= 1", k)
	}
	if k == 0 {
		for _, l := range p.SupportLabels {
			k = max(k, l+1)
		}
	}
	seen := make([]bool, max(k, 1))
	for i, l := range p.SupportLabels {
		if l < 0 || l >= k {
			return 0, 0, solver.Errorf(solver.RangeErr, solver.CodeDomain, "supportLabels", "entry %d is %d; labels must be in [0, %d)", i, l, k)
		}
		seen[l] = true
	}
	for l, ok := range seen {
		if !ok {
			return 0, 0, solver.Errorf(solver.RangeErr, solver.CodeDomain, "supportLabels", "class %d has no support point; every class in [0, %d) needs one", l, k)
		}
	}
	if err := checkCenter(p.Center, d, s.Preprocess); err != nil {
		return 0, 0, err
	}
	var lam float64
	switch s.Method {
	case SLKMeans:
		lam = 0.7
	case LaplacianShot:
		lam = 1
	case KMeans, Prototype:
		if s.Lambda != nil && *s.Lambda != 0 {
			return 0, 0, solver.Errorf(solver.TypeErr, solver.CodeOption, "lambda", "method %q has no Laplacian term; use 'slk-means' or 'laplacianshot'", s.Method)
		}
	default:
		return 0, 0, solver.Errorf(solver.TypeErr, solver.CodeOption, "method", "is %q; want 'slk-means', 'laplacianshot', 'kmeans' or 'prototype'", s.Method)
	}
	if s.Lambda != nil {
		if err := checkLambda(*s.Lambda); err != nil {
			return 0, 0, err
		}
		lam = *s.Lambda
	}
	nGraph := ns + nq
	if s.Method == LaplacianShot {
		nGraph = nq
	}
	if err := checkCommon(s.KNN, nGraph, s.Preprocess, s.Limits); err != nil {
		return 0, 0, err
	}
	return k, lam, nil
}

// checkMatrix validates a row-major matrix of width d.
func checkMatrix(field string, x []float64, d int) error {
	if len(x)%d != 0 {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, field, "has %d entries, not a multiple of dim = %d", len(x), d)
	}
	if err := solver.CheckFinite(field, x); err != nil {
		return err
	}
	for i, v := range x {
		if math.Abs(v) > maxAbs {
			return solver.Errorf(solver.RangeErr, solver.CodeDomain, field, "entry %d is %g; magnitudes above %g are not supported", i, v, maxAbs)
		}
	}
	return nil
}

func checkCenter(c []float64, d int, pre Preprocess) error {
	if c == nil {
		return nil
	}
	if pre != CenterL2 {
		return solver.Errorf(solver.TypeErr, solver.CodeOption, "center", "is used only with preprocess 'center-l2' (got %q)", pre)
	}
	if len(c) != d {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "center", "has length %d, want dim = %d", len(c), d)
	}
	return checkMatrix("center", c, d)
}

func checkLambda(lam float64) error {
	if math.IsNaN(lam) || math.IsInf(lam, 0) {
		return solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "lambda", "is %v; must be finite", lam)
	}
	if lam < 0 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "lambda", "is %v; must be >= 0", lam)
	}
	return nil
}

// checkCommon validates the options shared by Solve and Cluster; nGraph is
// the number of points in the kNN graph.
func checkCommon(knn, nGraph int, pre Preprocess, lim Limits) error {
	if knn < 1 || knn >= nGraph {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "knn", "is %d; must be >= 1 and < %d (the number of points in the graph)", knn, nGraph)
	}
	switch pre {
	case CenterL2, L2, None:
	default:
		return solver.Errorf(solver.TypeErr, solver.CodeOption, "preprocess", "is %q; want 'center-l2', 'l2' or 'none'", pre)
	}
	if lim.MaxIter < 1 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxIter", "is %d; must be >= 1", lim.MaxIter)
	}
	if lim.MaxInner < 1 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxInner", "is %d; must be >= 1", lim.MaxInner)
	}
	for _, t := range []struct {
		name string
		v    float64
	}{{"tol", lim.Tol}, {"innerTol", lim.InnerTol}} {
		if err := solver.CheckNonNegative(t.name, t.v); err != nil {
			return err
		}
	}
	return nil
}

// preprocess applies the feature transform in place to the n x d rows of x;
// center nil means the mean of the rows.
func preprocess(x []float64, n, d int, pre Preprocess, center []float64) {
	if pre == CenterL2 {
		c := center
		if c == nil {
			c = colMean(x, 0, n, d)
		}
		for i := range n {
			r := x[i*d : (i+1)*d]
			for t := range r {
				r[t] -= c[t]
			}
		}
	}
	if pre == CenterL2 || pre == L2 {
		for i := range n {
			r := x[i*d : (i+1)*d]
			s := 0.0
			for _, v := range r {
				s += v * v
			}
			if s == 0 {
				continue // a zero row has no direction; it stays at the origin
			}
			inv := 1 / math.Sqrt(s)
			for t := range r {
				r[t] *= inv
			}
		}
	}
}

// colMean returns the mean of rows [lo, hi) of the n x d matrix x.
func colMean(x []float64, lo, hi, d int) []float64 {
	c := make([]float64, d)
	for i := lo; i < hi; i++ {
		for t, v := range x[i*d : (i+1)*d] {
			c[t] += v
		}
	}
	for t := range c {
		c[t] /= float64(hi - lo)
	}
	return c
}

// shiftQueries moves the queries (rows ns..ns+nq) by mean(support) -
// mean(query), the SLK-Means correction of the shift between the two sets.
func shiftQueries(x []float64, ns, nq, d int) {
	ms, mq := colMean(x, 0, ns, d), colMean(x, ns, ns+nq, d)
	for i := ns; i < ns+nq; i++ {
		for t := range d {
			x[i*d+t] += ms[t] - mq[t]
		}
	}
}
