// Package convexrelu trains two-layer ReLU networks to global optimality over
// sampled activation patterns, following Bai, Gautam and Sojoudi, "Efficient
// Global Optimization of Two-layer ReLU Networks: Quadratic-time Algorithms
// and Adversarial Training" (SIAM J. Math. Data Sci. 2023).
//
// With patterns D_i = diag(1[X g_i >= 0]), i = 1..P, the convex program is
//
//	minimise 1/2 ||sum_i D_i X (v_i - w_i) - y||^2 + beta sum_i (||v_i|| + ||w_i||)
//	subject to (2D_i - I) X v_i >= 0, (2D_i - I) X w_i >= 0   (exact)
//
// (the approximate formulation drops the cone constraints). Its optimum equals
// the optimum of the weight-decay-regularised two-layer ReLU network whose
// hidden units are restricted to those patterns, and the network is read off
// the solution (see Recover). The program is solved by ADMM whose linear
// system is factorised once (see linsys.go).
package convexrelu

import (
	"math"
	"time"

	"github.com/optwasm/optwasm/core/solver"
)

// Formulation names accepted by Problem.Formulation.
const (
	// Exact keeps the cone constraints (2D_i - I) X v_i >= 0, so the
	// recovered network reproduces the convex model on the training set.
	Exact = "exact"
	// Approximate drops the cone constraints (a relaxation: its optimum is a
	// lower bound of the exact one, and the recovered network may differ
	// from the convex model).
	Approximate = "approximate"
)

// LossSquared is the only loss: 1/2 sum_k (yhat_k - y_k)^2.
const LossSquared = "squared"

// Defaults used when a Settings field is zero.
const (
	DefaultMaxIter = 2000
	DefaultTol     = 1e-4
	// DefaultRhoPerBeta sets rho = DefaultRhoPerBeta * beta (floored at
	// minRho). The shrinkage threshold of the z-step is beta/rho, so rho must
	// scale with beta: with rho << beta nothing leaves zero for many
	// iterations, with rho >> beta the loss term barely moves u.
	DefaultRhoPerBeta = 0.3
	minRho            = 1e-8
	// DefaultRhoAdversarial: the adversarial splitting also copies the loss
	// (unit curvature) and the cone rows through rho, so rho ~ 1 suits
	// standardised data whatever beta is.
	DefaultRhoAdversarial = 1.0
)

// Adversarial asks for training against l-infinity perturbations of radius
// Epsilon of every training point (the bias column, when appended, is not
// perturbed). Solve then minimises the convex robust program
//
//	1/2 sum_k (|r_k| + eps ||a_k||_1)^2 + beta sum_i (||v_i|| + ||w_i||),
//	r = sum_i D_i X (v_i - w_i) - y,  a_k = sum_i d_ik (v_i - w_i),
//	s.t. (2d_ik - 1) x_k . v_i >= eps ||v_i||_1 (and the same for w_i)
//
// where the norms skip the bias coordinate. The constraints make every
// pattern hold on the whole ball around x_k, so the network output there is
// f(x_k) + delta . a_k, and (|r_k| + eps ||a_k||_1)^2 is exactly the worst
// squared error over the ball: the program upper-bounds the robust training
// loss of the recovered network.
type Adversarial struct {
	Epsilon float64
}

// Problem is the data of a convex ReLU training problem.
type Problem struct {
	// X is the N x D data matrix, row-major.
	X    []float64
	N, D int
	// Y holds the N targets.
	Y []float64
	// Loss is LossSquared ("" means LossSquared).
	Loss string
	// Beta >= 0 is the weight-decay strength.
	Beta float64
	// Gates, when non-nil, is a GateRows x W row-major matrix of gate vectors
	// g_i (W = D, or D+1 with Bias where the last entry multiplies the ones
	// column; the hidden weights of a trained network are valid gates and
	// give its own activation patterns). Otherwise NumPatterns gates are
	// drawn from N(0, I) with Seed.
	Gates       []float64
	GateRows    int
	NumPatterns int
	Seed        uint64
	// Bias appends a ones column to X.
	Bias bool
	// Formulation is Exact or Approximate ("" means Exact).
	Formulation string
	// Adversarial, when non-nil, trains the robust program (needs Exact).
	Adversarial *Adversarial
}

// Settings are the options of Solve. Zero values select the defaults.
type Settings struct {
	// Rho is the ADMM penalty; 0 means DefaultRhoPerBeta * Beta, or
	// DefaultRhoAdversarial for adversarial training.
	Rho float64
	// Adaptive turns on residual balancing: rho is multiplied or divided by
	// 2 when one residual exceeds 10 times the other (checked every
	// adaptEvery iterations; the system is refactorised only then).
	Adaptive bool
	// MaxIter bounds the ADMM iterations; 0 means DefaultMaxIter.
	MaxIter int
	// Tol: stop once the primal and dual residuals are below Tol relative to
	// the size of the iterates and duals (Boyd et al., section 3.3); 0 means
	// DefaultTol.
	Tol float64
	// History records the objective and residuals of every iteration.
	History bool
	// Control carries the time limit, cancellation and progress hook.
	Control solver.Control
}

// History holds one entry per iteration.
type History struct {
	Objective []float64
	Primal    []float64
	Dual      []float64
}

// Result is the outcome of Solve.
type Result struct {
	Status     solver.Status
	Iterations int
	// Objective is the convex objective at the returned (group-sparse) V, W.
	Objective float64
	// NetworkObjective is the regularised training loss of Model,
	// loss + (beta/2) sum_j (||u_j||^2 + alpha_j^2): equal to Objective when
	// the constraints hold.
	NetworkObjective float64
	// LowerBound is a certified lower bound on the optimum of the program
	// from the ADMM duals (NaN for adversarial training).
	LowerBound float64
	// ConstraintViolation is max over i, k of the violation of the (robust)
	// cone constraints at V, W (0 for the approximate formulation).
	ConstraintViolation float64
	// Primal and Dual are the final ADMM residuals.
	Primal, Dual float64
	// Rho is the final penalty; Factorisations counts linear-system
	// factorisations (1 unless Adaptive changed rho).
	Rho            float64
	Factorisations int
	// Woodbury reports whether the u-step used the Woodbury form (n x n
	// system) rather than the dense (2dP) x (2dP) one.
	Woodbury bool
	// Patterns is the P x N 0/1 matrix of kept patterns (row i = diag D_i),
	// KeptGates their rows in the gate matrix, Gates the P x W gates used.
	Patterns  []float64
	P         int
	KeptGates []int
	Gates     []float64
	// V and W are the P x W' solution blocks (W' = D, +1 with Bias).
	V, W []float64
	// Model is the recovered network.
	Model *Model
	// TrainAccuracy is the fraction of sign(Predict) == y when every y is
	// +-1, NaN otherwise.
	TrainAccuracy float64
	History       History
	Elapsed       time.Duration
}

// Solve builds the patterns, runs ADMM and recovers the network.
func Solve(p *Problem, s *Settings) (*Result, error) {
	if s == nil {
		s = &Settings{}
	}
	if err := validate(p, s); err != nil {
		return nil, err
	}
	s.Control.Start()
	x, dd := withBias(p)
	gates, gw := p.Gates, 0
	if gates != nil {
		gw = len(gates) / p.GateRows
		if gw < dd { // gates without a bias entry
			gates = padGates(gates, p.GateRows, gw, dd)
		}
	} else {
		gates = randomGates(p.NumPatterns, dd, p.Seed)
	}
	pat := makePatterns(x, p.N, dd, gates)
	prob := &instance{
		x: x, y: p.Y, n: p.N, d: dd, np: pat.count, masks: pat.masks,
		beta: p.Beta, exact: p.Formulation != Approximate,
	}
	if p.Adversarial != nil {
		prob.eps = p.Adversarial.Epsilon
		prob.adv = true
		prob.omega = make([]float64, dd)
		for j := range p.D {
			prob.omega[j] = 1
		}
	}
	rho := s.Rho
	if rho == 0 {
		rho = math.Max(DefaultRhoPerBeta*p.Beta, minRho)
		if p.Adversarial != nil {
			rho = DefaultRhoAdversarial
		}
	}
	res := &Result{P: pat.count, Patterns: pat.masks, KeptGates: pat.kept}
	res.Gates = make([]float64, 0, pat.count*dd)
	for _, g := range pat.kept {
		res.Gates = append(res.Gates, gates[g*dd:(g+1)*dd]...)
	}
	maxIter := s.MaxIter
	if maxIter == 0 {
		maxIter = DefaultMaxIter
	}
	tol := s.Tol
	if tol == 0 {
		tol = DefaultTol
	}
	if err := prob.admm(res, rho, maxIter, tol, s); err != nil {
		return nil, err
	}
	res.Model = Recover(res.V, res.W, pat.count, p.D, p.Bias)
	pred := make([]float64, p.N)
	if err := Predict(pred, res.Model, p.X, p.N); err != nil {
		return nil, err
	}
	res.NetworkObjective = networkObjective(pred, p.Y, res.Model, p.Beta)
	res.TrainAccuracy = accuracy(pred, p.Y)
	res.Elapsed = s.Control.Elapsed()
	return res, nil
}

// withBias returns X (with a ones column appended when p.Bias) and its width.
func withBias(p *Problem) ([]float64, int) {
	if !p.Bias {
		return p.X, p.D
	}
	dd := p.D + 1
	x := make([]float64, p.N*dd)
	for k := range p.N {
		copy(x[k*dd:], p.X[k*p.D:(k+1)*p.D])
		x[k*dd+p.D] = 1
	}
	return x, dd
}

// networkObjective is 1/2||pred - y||^2 + beta/2 sum_j (||u_j||^2 + alpha_j^2).
func networkObjective(pred, y []float64, m *Model, beta float64) float64 {
	var loss, reg float64
	for k, v := range pred {
		loss += (v - y[k]) * (v - y[k])
	}
	w := m.InputDim
	for j := range m.Hidden {
		for _, v := range m.Weights[j*w : (j+1)*w] {
			reg += v * v
		}
		if m.Bias != nil {
			reg += m.Bias[j] * m.Bias[j]
		}
		reg += m.OutputWeights[j] * m.OutputWeights[j]
	}
	return loss/2 + beta/2*reg
}

// accuracy is the fraction of k with sign(pred_k) == y_k (pred_k > 0 means
// +1), or NaN unless every y_k is +-1.
func accuracy(pred, y []float64) float64 {
	if !plusMinusOne(y) {
		return math.NaN()
	}
	hits := 0
	for k, v := range pred {
		if (v > 0) == (y[k] > 0) {
			hits++
		}
	}
	return float64(hits) / float64(len(y))
}

func plusMinusOne(y []float64) bool {
	for _, v := range y {
		if v != 1 && v != -1 {
			return false
		}
	}
	return true
}
