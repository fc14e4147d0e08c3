package convexrelu

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/core/vec"
	"github.com/stretchr/testify/require"
)

func findCase(t *testing.T, g *golden, name string) goldenCase {
	for _, c := range g.Cases {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no golden case %q", name)
	return goldenCase{}
}

// convexOutputs returns sum_i D_i X (v_i - w_i) for the solution blocks.
func convexOutputs(p *Problem, r *Result) []float64 {
	x, d := withBias(p)
	out := make([]float64, p.N)
	for i := range r.P {
		for k := range p.N {
			if r.Patterns[i*p.N+k] == 0 {
				continue
			}
			for j := range d {
				out[k] += x[k*d+j] * (r.V[i*d+j] - r.W[i*d+j])
			}
		}
	}
	return out
}

// TestRecoveredNetwork: at (near) feasibility the network read off the
// solution reproduces the convex model on the training set and its
// regularised loss equals the convex objective.
func TestRecoveredNetwork(t *testing.T) {
	g := loadGolden(t)
	for _, name := range []string{"moons-exact", "regression-exact"} {
		c := findCase(t, g, name)
		p := c.problem(g)
		r, err := Solve(p, &Settings{Tol: 1e-8, MaxIter: 20000})
		require.NoError(t, err)
		pred := make([]float64, p.N)
		require.NoError(t, Predict(pred, r.Model, p.X, p.N))
		conv := convexOutputs(p, r)
		// each hidden unit can differ from its convex counterpart by at most
		// the cone violation on a sample
		for k := range pred {
			require.InDelta(t, conv[k], pred[k], float64(r.Model.Hidden)*r.ConstraintViolation+1e-12, "sample %d", k)
		}
		require.Less(t, relDiff(r.NetworkObjective, r.Objective), 1e-5)
		// ||u_j||^2 = alpha_j^2 for every recovered unit
		w := r.Model.InputDim
		for j := range r.Model.Hidden {
			nrm := vec.Dot(r.Model.Weights[j*w:(j+1)*w], r.Model.Weights[j*w:(j+1)*w])
			if r.Model.Bias != nil {
				nrm += r.Model.Bias[j] * r.Model.Bias[j]
			}
			a := r.Model.OutputWeights[j]
			require.InDelta(t, a*a, nrm, 1e-12*math.Max(1, nrm))
		}
	}
}

// TestWoodburyMatchesDense: both factorisations solve the same system.
func TestWoodburyMatchesDense(t *testing.T) {
	g := loadGolden(t)
	for _, name := range []string{"moons-exact", "moons-approximate", "regression-exact"} {
		c := findCase(t, g, name)
		p := c.problem(g)
		x, d := withBias(p)
		pat := makePatterns(x, p.N, d, c.Gates)
		in := &instance{x: x, y: p.Y, n: p.N, d: d, np: pat.count, masks: pat.masks,
			beta: p.Beta, exact: c.Formulation == Exact}
		nx, _, _ := in.sizes()
		in.buffers()
		wb, err := newWoodbury(in)
		require.NoError(t, err)
		ds, err := newDense(in)
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(1, 2))
		for _, rho := range []float64{1e-3, 0.7} {
			require.NoError(t, wb.setRho(rho))
			require.NoError(t, ds.setRho(rho))
			rhs, a, b := make([]float64, nx), make([]float64, nx), make([]float64, nx)
			for i := range rhs {
				rhs[i] = rng.NormFloat64()
			}
			wb.solve(a, rhs)
			ds.solve(b, rhs)
			for i := range a {
				require.InDelta(t, b[i], a[i], 1e-8*(1+math.Abs(b[i])), "%s rho %v entry %d", name, rho, i)
			}
		}
	}
}

// TestAdaptiveRho: residual balancing reaches the same optimum and
// refactorises only when rho changes.
func TestAdaptiveRho(t *testing.T) {
	g := loadGolden(t)
	c := findCase(t, g, "regression-exact")
	r, err := Solve(c.problem(g), &Settings{Rho: 1e-4, Adaptive: true, Tol: 1e-7, MaxIter: 20000})
	require.NoError(t, err)
	require.Equal(t, solver.Converged, r.Status)
	require.Less(t, relDiff(r.Objective, c.Objective), 1e-4)
	require.Greater(t, r.Factorisations, 1)
	require.NotEqual(t, 1e-4, r.Rho)
}

func TestRandomGatesDeterministic(t *testing.T) {
	g := loadGolden(t)
	c := findCase(t, g, "moons-exact")
	mk := func(seed uint64) *Result {
		r, err := Solve(&Problem{X: c.X, N: c.N, D: c.D, Y: c.Y, Beta: 0.01, NumPatterns: 30,
			Seed: seed, Bias: true}, &Settings{MaxIter: 50})
		require.NoError(t, err)
		return r
	}
	a, b, other := mk(5), mk(5), mk(6)
	require.Equal(t, a.V, b.V)
	require.Equal(t, a.KeptGates, b.KeptGates)
	require.NotEqual(t, a.Gates, other.Gates)
	require.LessOrEqual(t, a.P, 30)
	// patterns are distinct 0/1 rows and match the kept gates
	seen := map[string]bool{}
	for i := range a.P {
		row := a.Patterns[i*c.N : (i+1)*c.N]
		key := ""
		for k, v := range row {
			require.True(t, v == 0 || v == 1)
			dot := a.Gates[i*3+2]
			for j := range 2 {
				dot += c.X[k*2+j] * a.Gates[i*3+j]
			}
			require.Equal(t, dot >= 0, v == 1)
			key += string(rune('0' + int(v)))
		}
		require.False(t, seen[key])
		seen[key] = true
	}
}

// TestGatesFromNetwork: the hidden weights of a network are valid gates and
// give back that network's activation patterns, so a solve warm-started from
// the recovered model reaches at least the same objective.
func TestGatesFromNetwork(t *testing.T) {
	g := loadGolden(t)
	c := findCase(t, g, "moons-exact")
	p := &Problem{X: c.X, N: c.N, D: c.D, Y: c.Y, Beta: 0.01, NumPatterns: 10, Seed: 3, Bias: true}
	r, err := Solve(p, &Settings{MaxIter: 3000})
	require.NoError(t, err)
	m := r.Model
	gates := make([]float64, 0, m.Hidden*(m.InputDim+1))
	for j := range m.Hidden {
		gates = append(gates, m.Weights[j*m.InputDim:(j+1)*m.InputDim]...)
		gates = append(gates, m.Bias[j])
	}
	w, err := Solve(&Problem{X: c.X, N: c.N, D: c.D, Y: c.Y, Beta: 0.01, Gates: gates,
		GateRows: m.Hidden, Bias: true}, &Settings{MaxIter: 3000})
	require.NoError(t, err)
	require.LessOrEqual(t, w.Objective, r.Objective*(1+1e-3))
}

func TestControl(t *testing.T) {
	g := loadGolden(t)
	c := findCase(t, g, "moons-exact")
	calls := 0
	s := &Settings{MaxIter: 40, History: true, Tol: 1e-12}
	s.Control.Progress = func(p solver.Progress) {
		calls++
		require.Equal(t, calls, p.Iteration)
		require.False(t, math.IsNaN(p.Objective) || math.IsNaN(p.Residual))
	}
	r, err := Solve(c.problem(g), s)
	require.NoError(t, err)
	require.Equal(t, solver.MaxIter, r.Status)
	require.Equal(t, 40, calls)
	require.Len(t, r.History.Objective, 40)
	require.Len(t, r.History.Dual, 40)
	require.InDelta(t, r.Objective, r.History.Objective[39], 1e-12)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s = &Settings{}
	s.Control.Context = ctx
	r, err = Solve(c.problem(g), s)
	require.NoError(t, err)
	require.Equal(t, solver.Canceled, r.Status)
	require.Zero(t, r.Iterations)
}

func TestBadInput(t *testing.T) {
	good := func() *Problem {
		return &Problem{X: []float64{1, 2, 3, 4, 5, -6}, N: 3, D: 2, Y: []float64{1, -1, 1},
			Beta: 0.1, NumPatterns: 4}
	}
	cases := []struct {
		name, field, code string
		edit              func(p *Problem, s *Settings)
	}{
		{"y length", "y", solver.CodeShape, func(p *Problem, _ *Settings) { p.Y = p.Y[:2] }},
		{"X length", "X", solver.CodeShape, func(p *Problem, _ *Settings) { p.X = p.X[:5] }},
		{"no rows", "X", solver.CodeShape, func(p *Problem, _ *Settings) { p.N = 0 }},
		{"NaN X", "X", solver.CodeNotFinite, func(p *Problem, _ *Settings) { p.X[3] = math.NaN() }},
		{"Inf y", "y", solver.CodeNotFinite, func(p *Problem, _ *Settings) { p.Y[0] = math.Inf(1) }},
		{"beta < 0", "beta", solver.CodeDomain, func(p *Problem, _ *Settings) { p.Beta = -1 }},
		{"beta NaN", "beta", solver.CodeNotFinite, func(p *Problem, _ *Settings) { p.Beta = math.NaN() }},
		{"numPatterns 0", "numPatterns", solver.CodeDomain, func(p *Problem, _ *Settings) { p.NumPatterns = 0 }},
		{"gates width", "gates", solver.CodeShape, func(p *Problem, _ *Settings) {
			p.Gates, p.GateRows, p.NumPatterns = []float64{1, 2, 3, 4, 5, 6}, 2, 0
		}},
		{"gates width with bias", "gates", solver.CodeShape, func(p *Problem, _ *Settings) {
			p.Gates, p.GateRows, p.NumPatterns, p.Bias = []float64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 0, true
		}},
		{"gates rows vs numPatterns", "gates", solver.CodeShape, func(p *Problem, _ *Settings) {
			p.Gates, p.GateRows = []float64{1, 2, 3, 4}, 2
		}},
		{"gates NaN", "gates", solver.CodeNotFinite, func(p *Problem, _ *Settings) {
			p.Gates, p.GateRows, p.NumPatterns = []float64{1, math.NaN()}, 1, 0
		}},
		{"formulation", "formulation", solver.CodeOption, func(p *Problem, _ *Settings) { p.Formulation = "exactish" }},
		{"loss", "loss", solver.CodeOption, func(p *Problem, _ *Settings) { p.Loss = "hinge" }},
		{"epsilon < 0", "adversarial.epsilon", solver.CodeDomain, func(p *Problem, _ *Settings) { p.Adversarial = &Adversarial{Epsilon: -0.1} }},
		{"adversarial approximate", "formulation", solver.CodeOption, func(p *Problem, _ *Settings) {
			p.Adversarial, p.Formulation = &Adversarial{Epsilon: 0.1}, Approximate
		}},
		{"rho < 0", "rho", solver.CodeDomain, func(_ *Problem, s *Settings) { s.Rho = -1 }},
		{"tol NaN", "tol", solver.CodeNotFinite, func(_ *Problem, s *Settings) { s.Tol = math.NaN() }},
		{"maxIter < 0", "maxIter", solver.CodeDomain, func(_ *Problem, s *Settings) { s.MaxIter = -1 }},
		{"too many patterns", "numPatterns", solver.CodeDomain, func(p *Problem, _ *Settings) { p.NumPatterns = 1 << 40 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, s := good(), &Settings{}
			c.edit(p, s)
			_, err := Solve(p, s)
			var ie *solver.InputError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, c.field, ie.Field)
			require.Equal(t, c.code, ie.Code)
		})
	}
	_, err := Solve(nil, nil)
	require.Error(t, err)
	r, err := Solve(good(), nil) // and a good call works
	require.NoError(t, err)
	require.Equal(t, 3, len(r.Patterns)/r.P)
}

func TestPredictBadInput(t *testing.T) {
	m := &Model{InputDim: 2, Hidden: 1, Weights: []float64{1, -1}, OutputWeights: []float64{2}}
	out := make([]float64, 2)
	require.NoError(t, Predict(out, m, []float64{3, 1, 1, 3}, 2))
	require.Equal(t, []float64{4, 0}, out)
	for _, c := range []struct {
		field string
		m     *Model
		x     []float64
	}{
		{"model.weights", &Model{InputDim: 2, Hidden: 1, Weights: []float64{1}, OutputWeights: []float64{2}}, []float64{1, 2, 3, 4}},
		{"model.outputWeights", &Model{InputDim: 2, Hidden: 1, Weights: []float64{1, 1}, OutputWeights: []float64{}}, []float64{1, 2, 3, 4}},
		{"model.bias", &Model{InputDim: 2, Hidden: 1, Weights: []float64{1, 1}, OutputWeights: []float64{1}, Bias: []float64{1, 2}}, []float64{1, 2, 3, 4}},
		{"X", m, []float64{1, 2, 3}},
		{"X", m, []float64{1, 2, 3, math.NaN()}},
		{"model", nil, []float64{1, 2, 3, 4}},
	} {
		var ie *solver.InputError
		require.ErrorAs(t, Predict(out, c.m, c.x, 2), &ie)
		require.Equal(t, c.field, ie.Field)
	}
}

// TestEdgeCases: degenerate data must neither panic nor produce NaN.
func TestEdgeCases(t *testing.T) {
	for _, c := range []struct {
		name string
		p    *Problem
	}{
		{"one sample", &Problem{X: []float64{2}, N: 1, D: 1, Y: []float64{1}, Beta: 0.1, NumPatterns: 3}},
		{"zero data", &Problem{X: make([]float64, 6), N: 3, D: 2, Y: []float64{1, -1, 1}, Beta: 0.1, NumPatterns: 4, Bias: true}},
		{"zero targets", &Problem{X: []float64{1, 2, 3, 4}, N: 2, D: 2, Y: []float64{0, 0}, Beta: 1, NumPatterns: 2}},
		{"beta 0", &Problem{X: []float64{1, 2, 3, 4}, N: 2, D: 2, Y: []float64{1, 2}, NumPatterns: 2}},
		{"adversarial one sample", &Problem{X: []float64{2}, N: 1, D: 1, Y: []float64{1}, Beta: 0.1, NumPatterns: 2, Bias: true, Adversarial: &Adversarial{Epsilon: 0.5}}},
	} {
		r, err := Solve(c.p, &Settings{MaxIter: 200})
		require.NoError(t, err, c.name)
		for _, v := range []float64{r.Objective, r.NetworkObjective, r.ConstraintViolation, r.Primal, r.Dual} {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s: %+v", c.name, r)
		}
		require.GreaterOrEqual(t, r.P, 1)
	}
}
