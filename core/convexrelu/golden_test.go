package convexrelu

import (
	"math"
	"testing"

	"github.com/optwasm/optwasm/internal/refdata"
	"github.com/stretchr/testify/require"
)

type goldenCase struct {
	Name         string    `json:"name"`
	N            int       `json:"n"`
	D            int       `json:"d"`
	X            []float64 `json:"X"`
	Y            []float64 `json:"y"`
	Gates        []float64 `json:"gates"`
	NumPatterns  int       `json:"numPatterns"`
	Beta         float64   `json:"beta"`
	Formulation  string    `json:"formulation"`
	Bias         bool      `json:"bias"`
	Epsilon      float64   `json:"epsilon"`
	KeptGates    []int     `json:"keptGates"`
	Objective    float64   `json:"objective"`
	Standardised bool      `json:"standardised"`
}

type golden struct {
	Cases        []goldenCase `json:"cases"`
	BreastCancer struct {
		N, D, Train int
		Raw         []float64 `json:"raw"`
		Y           []float64 `json:"y"`
	} `json:"breastCancer"`
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	var g golden
	require.NoError(t, refdata.Load("convexrelu", &g))
	return &g
}

// standardised returns the breast-cancer rows standardised with the
// training split's mean and (population) standard deviation.
func (g *golden) standardised() []float64 {
	bc := g.BreastCancer
	x := make([]float64, len(bc.Raw))
	for j := range bc.D {
		var mu, sd float64
		for k := range bc.Train {
			mu += bc.Raw[k*bc.D+j]
		}
		mu /= float64(bc.Train)
		for k := range bc.Train {
			sd += (bc.Raw[k*bc.D+j] - mu) * (bc.Raw[k*bc.D+j] - mu)
		}
		sd = math.Sqrt(sd / float64(bc.Train))
		for k := range bc.N {
			x[k*bc.D+j] = (bc.Raw[k*bc.D+j] - mu) / sd
		}
	}
	return x
}

func (c *goldenCase) problem(g *golden) *Problem {
	x := c.X
	if c.Standardised {
		x = g.standardised()[:c.N*c.D]
	}
	p := &Problem{X: x, N: c.N, D: c.D, Y: c.Y, Beta: c.Beta, Gates: c.Gates,
		GateRows: c.NumPatterns, Bias: c.Bias, Formulation: c.Formulation}
	if c.Formulation == "adversarial" {
		p.Formulation = Exact
		p.Adversarial = &Adversarial{Epsilon: c.Epsilon}
	}
	return p
}

func relDiff(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-12) }

// TestGoldenObjectives compares ADMM optima with cvxopt's conic solver.
func TestGoldenObjectives(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Cases {
		if c.Standardised {
			continue // TestBreastCancer
		}
		t.Run(c.Name, func(t *testing.T) {
			s := &Settings{Tol: 1e-7, MaxIter: 20000}
			if c.Formulation == "adversarial" {
				// the adversarial splitting converges slowly: a fixed budget
				s = &Settings{Tol: 1e-8, MaxIter: 20000}
			}
			r, err := Solve(c.problem(g), s)
			require.NoError(t, err)
			require.Equal(t, c.KeptGates, r.KeptGates)
			require.Less(t, relDiff(r.Objective, c.Objective), 1e-4, "objective %v, cvxopt %v", r.Objective, c.Objective)
			if c.Formulation != "adversarial" {
				// a valid lower bound, tight at convergence
				require.LessOrEqual(t, r.LowerBound, c.Objective*(1+1e-7))
				require.Less(t, relDiff(r.LowerBound, c.Objective), 1e-4)
			}
			if c.Formulation == "approximate" {
				require.Zero(t, r.ConstraintViolation)
			} else {
				require.Less(t, r.ConstraintViolation, 1e-3)
			}
		})
	}
}

// TestBreastCancer: the reference run of ALGORITHMS.md (P = 20 fixed gates,
// beta = 1e-3, rho = 0.3 beta) against cvxopt, and held-out accuracy.
func TestBreastCancer(t *testing.T) {
	g := loadGolden(t)
	var c goldenCase
	for _, gc := range g.Cases {
		if gc.Standardised {
			c = gc
		}
	}
	r, err := Solve(c.problem(g), &Settings{MaxIter: 2500, Tol: 1e-7})
	require.NoError(t, err)
	require.True(t, r.Woodbury, "n = 455 < 2dP = 1240: Woodbury must be the cheaper solve")
	require.Equal(t, 1, r.Factorisations)
	require.Less(t, relDiff(r.Objective, c.Objective), 1e-4, "objective %v, cvxopt %v", r.Objective, c.Objective)
	require.Less(t, relDiff(r.NetworkObjective, r.Objective), 1e-4)
	require.Greater(t, r.TrainAccuracy, 0.97)
}

// TestBreastCancerHeldOut trains with random gates and checks accuracy on the
// held-out split (a stronger beta than the reference run, which overfits).
func TestBreastCancerHeldOut(t *testing.T) {
	g := loadGolden(t)
	bc := g.BreastCancer
	x := g.standardised()
	for _, beta := range []float64{1} {
		r, err := Solve(&Problem{X: x[:bc.Train*bc.D], N: bc.Train, D: bc.D, Y: bc.Y[:bc.Train],
			Beta: beta, NumPatterns: 20, Seed: 7, Bias: true}, &Settings{MaxIter: 1000})
		require.NoError(t, err)
		nt := bc.N - bc.Train
		pred := make([]float64, nt)
		require.NoError(t, Predict(pred, r.Model, x[bc.Train*bc.D:], nt))
		acc := accuracy(pred, bc.Y[bc.Train:])
		t.Logf("beta %v held-out accuracy %.4f on %d samples (train %.4f), hidden %d, it %d obj %v lb %v", beta, acc, nt, r.TrainAccuracy, r.Model.Hidden, r.Iterations, r.Objective, r.LowerBound)
		require.Greater(t, acc, 0.93)
	}
}
