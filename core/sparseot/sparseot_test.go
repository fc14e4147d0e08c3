package sparseot

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/internal/refdata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type golden struct {
	Reference struct {
		N, M         int
		Cost         []float64
		Gamma        float64
		Emd          float64
		QuadCost     float64
		QuadNonzeros int
	}
	Quadratic []struct {
		N, M             int
		A, B, Cost, Plan []float64
		Gamma            float64
		TransportCost    float64
		RegCost          float64
	}
	Emd []struct {
		N    int
		Cost []float64
		Emd  float64
	}
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	var g golden
	require.NoError(t, refdata.Load("sparseot", &g))
	return &g
}

func uniform(n int, total float64) []float64 {
	u := make([]float64, n)
	for i := range u {
		u[i] = total / float64(n)
	}
	return u
}

// dense expands a COO plan.
func dense(p Plan) []float64 {
	t := make([]float64, p.N*p.M)
	for e, v := range p.Values {
		t[int(p.Rows[e])*p.M+int(p.Cols[e])] += v
	}
	return t
}

func transpose(c []float64, n, m int) []float64 {
	out := make([]float64, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			out[j*n+i] = c[i*m+j]
		}
	}
	return out
}

// checkInvariants recomputes every reported figure from the plan and checks
// the structure: entries positive, grouped by the constrained axis with
// increasing index inside a group, at most k per group, exact constrained
// marginals for the semi-dual.
func checkInvariants(t *testing.T, p Problem, s Settings, res *Result) {
	t.Helper()
	n, m := len(p.A), len(p.B)
	pl := res.Plan
	require.Equal(t, n, pl.N)
	require.Equal(t, m, pl.M)
	require.Len(t, pl.Rows, len(pl.Values))
	require.Len(t, pl.Cols, len(pl.Values))
	byRow := s.Sparsity == Row
	rows, cols := make([]float64, n), make([]float64, m)
	count := map[int32]int{}
	var cost float64
	for e, v := range pl.Values {
		i, j := pl.Rows[e], pl.Cols[e]
		require.Greater(t, v, 0.0)
		rows[i] += v
		cols[j] += v
		cost += v * p.Cost[int(i)*m+int(j)]
		g, in := j, i
		if byRow {
			g, in = i, j
		}
		count[g]++
		if e > 0 {
			pg, pin := pl.Cols[e-1], pl.Rows[e-1]
			if byRow {
				pg, pin = pl.Rows[e-1], pl.Cols[e-1]
			}
			require.True(t, pg < g || (pg == g && pin < in), "entries not grouped/sorted at %d", e)
		}
	}
	maxNZ := 0
	for _, c := range count {
		maxNZ = max(maxNZ, c)
	}
	assert.Equal(t, maxNZ, res.MaxNonzeros)
	assert.LessOrEqual(t, maxNZ, p.K)
	var srcErr, tgtErr, total float64
	for i, v := range rows {
		srcErr += math.Abs(v - p.A[i])
		total += p.A[i]
	}
	for j, v := range cols {
		tgtErr += math.Abs(v - p.B[j])
	}
	tiny := 1e-12 * total
	assert.InDelta(t, cost, res.TransportCost, 1e-12*math.Abs(cost)+1e-300)
	assert.InDelta(t, srcErr, res.SourceError, tiny)
	assert.InDelta(t, tgtErr, res.TargetError, tiny)
	if s.Method != Dual {
		constrained := tgtErr
		if byRow {
			constrained = srcErr
		}
		assert.Less(t, constrained, 1e-12*total, "semi-dual constrained marginals must hold")
	}
	require.Len(t, res.Alpha, n)
	require.Len(t, res.Beta, m)
}

func TestReferenceRun(t *testing.T) {
	r := loadGolden(t).Reference
	u := uniform(r.N, 1)
	p := Problem{A: u, B: u, Cost: r.Cost, K: 1, Gamma: r.Gamma}
	res, err := Solve(p, Settings{})
	require.NoError(t, err)
	checkInvariants(t, p, Settings{}, res)
	assert.InDelta(t, r.Emd, res.TransportCost, 1e-9) // k = 1: the EMD cost
	assert.Len(t, res.Plan.Values, r.N)
	for _, k := range []int{4, 10, 50} {
		p.K = k
		res, err := Solve(p, Settings{})
		require.NoError(t, err)
		checkInvariants(t, p, Settings{}, res)
		assert.Equal(t, solver.Converged, res.Status)
		assert.InDelta(t, r.QuadCost, res.TransportCost, 1e-6) // POT's own accuracy
		assert.Len(t, res.Plan.Values, r.QuadNonzeros)
	}
}

func TestQuadraticMatchesPOT(t *testing.T) {
	for c, q := range loadGolden(t).Quadratic {
		var total float64
		for _, v := range q.A {
			total += v
		}
		for _, method := range []Method{SemiDual, Dual} {
			for _, sp := range []Sparsity{Column, Row} {
				p := Problem{A: q.A, B: q.B, Cost: q.Cost, K: q.N, Gamma: q.Gamma}
				if sp == Row {
					p.K = q.M
				}
				s := Settings{Method: method, Sparsity: sp, Tol: 1e-11, MaxIter: 5000}
				res, err := Solve(p, s)
				require.NoError(t, err)
				checkInvariants(t, p, s, res)
				got := dense(res.Plan)
				var maxDiff float64
				for i, v := range q.Plan {
					maxDiff = math.Max(maxDiff, math.Abs(got[i]-v))
				}
				tight := 1e-8 // the dual's n+m variables converge more slowly: 1e-7
				if method == Dual {
					tight = 1e-7
				}
				assert.Less(t, maxDiff, tight*total, "case %d (%dx%d, gamma %v) %s/%s", c, q.N, q.M, q.Gamma, method, sp)
				assert.InDelta(t, q.TransportCost, res.TransportCost, tight*total)
				assert.InDelta(t, q.RegCost, res.Objective, tight*total)
			}
		}
	}
}

// TestK1MatchesEMD: k = 1, n = m, uniform weights is an assignment problem,
// solved exactly (auction): the cost of ot.emd, a permutation plan.
func TestK1MatchesEMD(t *testing.T) {
	for _, e := range loadGolden(t).Emd {
		u := uniform(e.N, 2.5)
		for _, sp := range []Sparsity{Column, Row} {
			p := Problem{A: u, B: u, Cost: e.Cost, K: 1, Gamma: 0.1}
			s := Settings{Sparsity: sp}
			res, err := Solve(p, s)
			require.NoError(t, err)
			checkInvariants(t, p, s, res)
			assert.InDelta(t, 2.5*e.Emd, res.TransportCost, 1e-9*e.Emd, "n=%d", e.N)
			assert.Equal(t, e.N, len(res.Plan.Values))
			assert.Less(t, res.SourceError+res.TargetError, 1e-12)
			// The potentials reproduce the plan: alpha_i + beta_j - C_ij = gamma t_ij.
			for k, v := range res.Plan.Values {
				i, j := res.Plan.Rows[k], res.Plan.Cols[k]
				assert.InDelta(t, p.Gamma*v, res.Alpha[i]+res.Beta[j]-e.Cost[int(i)*e.N+int(j)], 1e-12)
			}
		}
	}
}

// TestK1LBFGS: with unequal weights k = 1 goes through L-BFGS on the
// semi-dual; with weights nearly uniform its cost is close to the EMD.
func TestK1LBFGS(t *testing.T) {
	e := loadGolden(t).Emd[1]
	a := uniform(e.N, 1)
	b := uniform(e.N, 1)
	a[0] *= 1 + 1e-9
	a[1] *= 1 - 1e-9
	p := Problem{A: a, B: b, Cost: e.Cost, K: 1, Gamma: 0.1}
	res, err := Solve(p, Settings{})
	require.NoError(t, err)
	checkInvariants(t, p, Settings{}, res)
	assert.InDelta(t, e.Emd, res.TransportCost, 0.01*e.Emd)
}

// randomProblem returns points-based costs and random weights summing to total.
func randomProblem(rng *rand.Rand, n, m int, total, costScale float64) Problem {
	c := make([]float64, n*m)
	x, y := make([]float64, 2*n), make([]float64, 2*m)
	for i := range x {
		x[i] = rng.Float64()
	}
	for i := range y {
		y[i] = rng.Float64()
	}
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			dx, dy := x[2*i]-y[2*j], x[2*i+1]-y[2*j+1]
			c[i*m+j] = (dx*dx + dy*dy) * costScale
		}
	}
	a, b := make([]float64, n), make([]float64, m)
	var sa, sb float64
	for i := range a {
		a[i] = 0.2 + rng.Float64()
		sa += a[i]
	}
	for j := range b {
		b[j] = 0.2 + rng.Float64()
		sb += b[j]
	}
	for i := range a {
		a[i] *= total / sa
	}
	for j := range b {
		b[j] *= total / sb
	}
	return Problem{A: a, B: b, Cost: c, Gamma: 0.1 * costScale}
}

func TestEveryKInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 6; trial++ {
		n, m := 5+rng.IntN(30), 5+rng.IntN(30)
		p := randomProblem(rng, n, m, []float64{1, 7, 0.003}[trial%3], 1)
		for _, k := range []int{1, 2, 3, 5, n} {
			for _, method := range []Method{SemiDual, Dual} {
				for _, sp := range []Sparsity{Column, Row} {
					p.K = k
					s := Settings{Method: method, Sparsity: sp}
					res, err := Solve(p, s)
					require.NoError(t, err)
					checkInvariants(t, p, s, res)
				}
			}
		}
	}
}

// TestRowIsTransposedColumn: 'row' sparsity equals the column problem on the
// transposed data, with the roles of the potentials swapped.
func TestRowIsTransposedColumn(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	p := randomProblem(rng, 9, 14, 2, 1)
	p.K = 3
	res, err := Solve(p, Settings{Sparsity: Row})
	require.NoError(t, err)
	q := Problem{A: p.B, B: p.A, Cost: transpose(p.Cost, 9, 14), K: 3, Gamma: p.Gamma}
	ref, err := Solve(q, Settings{})
	require.NoError(t, err)
	// Equal up to rounding (the two orientations read the cost in different
	// orders).
	assert.Equal(t, ref.Plan.Rows, res.Plan.Cols)
	assert.Equal(t, ref.Plan.Cols, res.Plan.Rows)
	assert.InDeltaSlice(t, ref.Plan.Values, res.Plan.Values, 1e-9)
	assert.InDeltaSlice(t, ref.Alpha, res.Beta, 1e-9)
	assert.InDeltaSlice(t, ref.Beta, res.Alpha, 1e-9)
}

func TestScaleInvariance(t *testing.T) {
	// Scaling the masses by s and (cost, gamma) by c scales the plan by s,
	// the costs by s*c and the potentials by c.
	rng := rand.New(rand.NewPCG(15, 16))
	base := randomProblem(rng, 12, 10, 1, 1)
	base.K = 12 // smooth: small k would make the result depend on rounding
	ref, err := Solve(base, Settings{Tol: 1e-12})
	require.NoError(t, err)
	for _, sc := range []struct{ mass, cost float64 }{{1e6, 1}, {1e-6, 1}, {1, 1e6}, {1, 1e-6}, {1e-3, 1e8}} {
		p := randomProblem(rand.New(rand.NewPCG(15, 16)), 12, 10, sc.mass, sc.cost)
		p.K = 12
		p.Gamma = 0.1 * sc.cost / sc.mass // the same normalised problem
		res, err := Solve(p, Settings{Tol: 1e-12})
		require.NoError(t, err)
		checkInvariants(t, p, Settings{}, res)
		assert.InDelta(t, ref.TransportCost, res.TransportCost/(sc.mass*sc.cost), 1e-6*ref.TransportCost, "%+v", sc)
		assert.Less(t, res.SourceError/sc.mass, 1e-9, "%+v", sc)
		for i, v := range ref.Alpha {
			assert.InDelta(t, v, res.Alpha[i]/sc.cost, 1e-6, "%+v", sc)
		}
	}
}

func TestSmallGamma(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, gamma := range []float64{1e-8, 1e-30, 1e-300} {
		for _, method := range []Method{SemiDual, Dual} {
			p := randomProblem(rng, 15, 15, 1, 1)
			for i := range p.A {
				p.A[i], p.B[i] = 1.0/15, 1.0/15
			}
			p.K, p.Gamma = 15, gamma
			s := Settings{Method: method}
			res, err := Solve(p, s)
			require.NoError(t, err, "gamma %v", gamma)
			checkInvariants(t, p, s, res)
			for _, v := range res.Plan.Values {
				require.False(t, math.IsNaN(v) || math.IsInf(v, 0))
			}
			assert.False(t, math.IsNaN(res.Objective) || math.IsInf(res.Objective, 0))
			assert.False(t, math.IsNaN(res.TransportCost))
		}
	}
}

func TestEdgeCases(t *testing.T) {
	// n = 1: all of every column goes to the single row.
	res, err := Solve(Problem{A: []float64{3}, B: []float64{1, 2}, Cost: []float64{5, 7}, K: 1, Gamma: 0.5}, Settings{})
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{1, 2}, res.Plan.Values, 1e-12)
	assert.InDelta(t, 19.0, res.TransportCost, 1e-12)
	assert.InDelta(t, 0.0, res.SourceError, 1e-12)
	// m = 1: the single column holds the whole source marginal (k >= n).
	p := Problem{A: []float64{1, 2, 3}, B: []float64{6}, Cost: []float64{1, 2, 3}, K: 3, Gamma: 0.1}
	res, err = Solve(p, Settings{})
	require.NoError(t, err)
	checkInvariants(t, p, Settings{}, res)
	assert.InDeltaSlice(t, []float64{1, 2, 3}, res.Plan.Values, 1e-8)
	// Equal costs everywhere with k >= n: the plan a b^T / total.
	n := 6
	u := uniform(n, 1)
	p = Problem{A: u, B: u, Cost: make([]float64, n*n), K: n, Gamma: 1}
	res, err = Solve(p, Settings{})
	require.NoError(t, err)
	checkInvariants(t, p, Settings{}, res)
	assert.InDeltaSlice(t, uniform(n*n, 1), dense(res.Plan), 1e-12)
	// Equal costs, k = 2 row sparsity: still at most 2 per row.
	p.K = 2
	res, err = Solve(p, Settings{Sparsity: Row, Method: Dual})
	require.NoError(t, err)
	checkInvariants(t, p, Settings{Sparsity: Row, Method: Dual}, res)
}

func TestWarmStart(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	p := randomProblem(rng, 20, 20, 1, 1)
	p.K = 20
	for _, method := range []Method{SemiDual, Dual} {
		cold, err := Solve(p, Settings{Method: method, Tol: 1e-11})
		require.NoError(t, err)
		warm, err := Solve(p, Settings{Method: method, Tol: 1e-11, Alpha0: cold.Alpha, Beta0: cold.Beta})
		require.NoError(t, err)
		assert.Less(t, warm.Iterations, cold.Iterations/4, method)
		assert.InDelta(t, cold.TransportCost, warm.TransportCost, 1e-9)
	}
}

func TestControl(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	p := randomProblem(rng, 30, 30, 1, 1)
	p.K = 30
	var iters []int
	ctl := &solver.Control{Progress: func(pr solver.Progress) {
		iters = append(iters, pr.Iteration)
		assert.False(t, math.IsNaN(pr.Objective))
		assert.GreaterOrEqual(t, pr.Residual, 0.0)
	}}
	res, err := Solve(p, Settings{MaxIter: 5, Control: ctl})
	require.NoError(t, err)
	assert.Equal(t, solver.MaxIter, res.Status)
	assert.Equal(t, 5, res.Iterations)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, iters)
	checkInvariants(t, p, Settings{}, res)
	// A time limit that has already passed stops at the first check.
	res, err = Solve(p, Settings{Control: &solver.Control{TimeLimit: 1}})
	require.NoError(t, err)
	assert.Equal(t, solver.TimeLimit, res.Status)
	assert.Equal(t, 0, res.Iterations)
	// The assignment (auction) path also stops, still with a permutation.
	u := uniform(30, 1)
	q := Problem{A: u, B: u, Cost: p.Cost, K: 1, Gamma: 0.1}
	res, err = Solve(q, Settings{Control: &solver.Control{TimeLimit: 1}})
	require.NoError(t, err)
	assert.Equal(t, solver.TimeLimit, res.Status)
	checkInvariants(t, q, Settings{}, res)
	assert.Less(t, res.SourceError, 1e-12)
}

func TestRepair(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	repairedSome := false
	for trial := 0; trial < 8; trial++ {
		n := 20 + rng.IntN(20)
		p := randomProblem(rng, n, n, 1, 1)
		for _, k := range []int{2, 3} {
			for _, method := range []Method{SemiDual, Dual} {
				p.K = k
				s := Settings{Method: method, Repair: true}
				res, err := Solve(p, s)
				require.NoError(t, err)
				plain, err := Solve(p, Settings{Method: method})
				require.NoError(t, err)
				t.Logf("n=%d k=%d %s: repaired=%v source error %.1e -> %.1e, cost %.5f -> %.5f", n, k, method,
					res.Repaired, plain.SourceError+plain.TargetError, res.SourceError, plain.TransportCost, res.TransportCost)
				assert.LessOrEqual(t, res.MaxNonzeros, k)
				assert.Less(t, res.TargetError, 1e-12, "columns hold after repair")
				if res.Repaired {
					repairedSome = true
					assert.LessOrEqual(t, res.SourceError, DefaultTol*1.01)
				} else {
					// Not repairable on its support: still no worse than before.
					assert.LessOrEqual(t, res.SourceError, plain.SourceError+plain.TargetError+1e-12)
				}
				checkInvariantsRepair(t, p, res)
			}
		}
	}
	assert.True(t, repairedSome)
}

// checkInvariantsRepair checks the recomputed figures of a repaired plan.
func checkInvariantsRepair(t *testing.T, p Problem, res *Result) {
	t.Helper()
	checkInvariants(t, p, Settings{Method: Dual}, res)
}

func TestBadInput(t *testing.T) {
	ok := func() Problem {
		return Problem{A: []float64{0.5, 0.5}, B: []float64{0.25, 0.75}, Cost: []float64{1, 2, 3, 4}, K: 1, Gamma: 1}
	}
	cases := []struct {
		field, code string
		edit        func(*Problem, *Settings)
	}{
		{"a", solver.CodeShape, func(p *Problem, s *Settings) { p.A = nil }},
		{"b", solver.CodeShape, func(p *Problem, s *Settings) { p.B = nil }},
		{"cost", solver.CodeShape, func(p *Problem, s *Settings) { p.Cost = p.Cost[:3] }},
		{"cost", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.Cost[2] = math.NaN() }},
		{"cost", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.Cost[0] = math.Inf(1) }},
		{"a", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.A[0] = math.NaN() }},
		{"a", solver.CodeDomain, func(p *Problem, s *Settings) { p.A[0] = 0 }},
		{"b", solver.CodeDomain, func(p *Problem, s *Settings) { p.B[1] = -0.75 }},
		{"b", solver.CodeDomain, func(p *Problem, s *Settings) { p.B[1] = 0.8 }},
		{"a", solver.CodeDomain, func(p *Problem, s *Settings) { p.A[0] = math.MaxFloat64; p.A[1] = math.MaxFloat64 }},
		{"k", solver.CodeDomain, func(p *Problem, s *Settings) { p.K = 0 }},
		{"gamma", solver.CodeDomain, func(p *Problem, s *Settings) { p.Gamma = 0 }},
		{"gamma", solver.CodeDomain, func(p *Problem, s *Settings) { p.Gamma = -1 }},
		{"gamma", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.Gamma = math.Inf(1) }},
		{"method", solver.CodeOption, func(p *Problem, s *Settings) { s.Method = "primal" }},
		{"sparsity", solver.CodeOption, func(p *Problem, s *Settings) { s.Sparsity = "diagonal" }},
		{"maxIter", solver.CodeDomain, func(p *Problem, s *Settings) { s.MaxIter = -1 }},
		{"tol", solver.CodeDomain, func(p *Problem, s *Settings) { s.Tol = -1 }},
		{"tol", solver.CodeNotFinite, func(p *Problem, s *Settings) { s.Tol = math.NaN() }},
		{"alpha0", solver.CodeShape, func(p *Problem, s *Settings) { s.Alpha0 = []float64{1} }},
		{"beta0", solver.CodeNotFinite, func(p *Problem, s *Settings) { s.Beta0 = []float64{1, math.NaN()} }},
	}
	for _, c := range cases {
		p, s := ok(), Settings{}
		c.edit(&p, &s)
		_, err := Solve(p, s)
		var ie *solver.InputError
		require.ErrorAs(t, err, &ie, "%s %s", c.field, c.code)
		assert.Equal(t, c.field, ie.Field)
		assert.Equal(t, c.code, ie.Code, ie.Error())
	}
	// After all that, a good call works.
	res, err := Solve(ok(), Settings{})
	require.NoError(t, err)
	assert.Len(t, res.Plan.Values, 2)
}

// TestNoAllocInIteration: evaluations allocate nothing.
func TestNoAllocInIteration(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	p := randomProblem(rng, 40, 30, 1, 1)
	p.K = 3
	for _, method := range []Method{SemiDual, Dual} {
		s := Settings{Method: method}
		require.NoError(t, validate(&p, &s))
		w := newOracle(p, s, 1)
		x := make([]float64, w.dim())
		g := make([]float64, w.dim())
		w.eval(x, g, false)
		allocs := testing.AllocsPerRun(10, func() { w.eval(x, g, false) })
		assert.Zero(t, allocs)
	}
}

var _ = sort.Ints

// BenchmarkEval times one semi-dual evaluation at n = m = 1000 (k = 5) for
// both orientations of the cost.
func BenchmarkEval(b *testing.B) {
	rng := rand.New(rand.NewPCG(27, 28))
	p := randomProblem(rng, 1000, 1000, 1, 1)
	p.K = 5
	for _, sp := range []Sparsity{Column, Row} {
		b.Run(string(sp), func(b *testing.B) {
			s := Settings{Sparsity: sp}
			require.NoError(b, validate(&p, &s))
			w := newOracle(p, s, 1)
			x := make([]float64, w.dim())
			g := make([]float64, w.dim())
			for b.Loop() {
				w.eval(x, g, false)
			}
		})
	}
}
