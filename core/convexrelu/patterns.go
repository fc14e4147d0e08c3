package convexrelu

import (
	"math"
	"math/rand/v2"

	"github.com/optwasm/optwasm/core/solver"
)

// maxVariables caps 2 d P (and the pattern matrix n P) so that no input can
// make the solver allocate without bound.
const maxVariables = 1 << 26

// validate checks every field of p and s, naming fields as the JS API does.
func validate(p *Problem, s *Settings) error {
	if p == nil {
		return solver.Errorf(solver.TypeErr, solver.CodeMissing, "input", "is missing")
	}
	if p.N < 1 || p.D < 1 {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "X", "must have at least one row and one column (n = %d, d = %d)", p.N, p.D)
	}
	if p.N > maxVariables/p.D {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "X", "is too large")
	}
	if err := solver.CheckLen("X", p.X, p.N*p.D); err != nil {
		return err
	}
	if err := solver.CheckLen("y", p.Y, p.N); err != nil {
		return err
	}
	if err := solver.CheckFinite("X", p.X); err != nil {
		return err
	}
	if err := solver.CheckFinite("y", p.Y); err != nil {
		return err
	}
	switch p.Loss {
	case "", LossSquared:
	default:
		return solver.Errorf(solver.RangeErr, solver.CodeOption, "loss", "unknown loss %q (only %q)", p.Loss, LossSquared)
	}
	switch p.Formulation {
	case "", Exact, Approximate:
	default:
		return solver.Errorf(solver.RangeErr, solver.CodeOption, "formulation", "unknown formulation %q (%q or %q)", p.Formulation, Exact, Approximate)
	}
	if math.IsNaN(p.Beta) || math.IsInf(p.Beta, 0) {
		return solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "beta", "is %v; must be finite", p.Beta)
	}
	if p.Beta < 0 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "beta", "is %v; must be >= 0", p.Beta)
	}
	dd := p.D
	if p.Bias {
		dd++
	}
	if p.Gates != nil {
		if p.GateRows < 1 {
			return solver.Errorf(solver.RangeErr, solver.CodeDomain, "gates", "must have at least one row")
		}
		if p.NumPatterns != 0 && p.NumPatterns != p.GateRows {
			return solver.Errorf(solver.TypeErr, solver.CodeShape, "gates", "has %d rows but numPatterns is %d", p.GateRows, p.NumPatterns)
		}
		w := len(p.Gates) / p.GateRows
		if len(p.Gates)%p.GateRows != 0 || (w != p.D && w != dd) {
			want := "d"
			if p.Bias {
				want = "d or d+1"
			}
			return solver.Errorf(solver.TypeErr, solver.CodeShape, "gates", "has %d entries for %d rows; each row must have %s = %d entries", len(p.Gates), p.GateRows, want, dd)
		}
		if err := solver.CheckFinite("gates", p.Gates); err != nil {
			return err
		}
	} else if p.NumPatterns < 1 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "numPatterns", "is %d; must be >= 1", p.NumPatterns)
	}
	rows := p.NumPatterns
	if p.Gates != nil {
		rows = p.GateRows
	}
	if rows > maxVariables/(2*dd) || rows > maxVariables/p.N {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "numPatterns", "is too large for this data")
	}
	if a := p.Adversarial; a != nil {
		if math.IsNaN(a.Epsilon) || math.IsInf(a.Epsilon, 0) {
			return solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "adversarial.epsilon", "is %v; must be finite", a.Epsilon)
		}
		if a.Epsilon < 0 {
			return solver.Errorf(solver.RangeErr, solver.CodeDomain, "adversarial.epsilon", "is %v; must be >= 0", a.Epsilon)
		}
		if p.Formulation == Approximate {
			return solver.Errorf(solver.RangeErr, solver.CodeOption, "formulation", "adversarial training needs the exact formulation")
		}
		if 4*dd*rows > denseLimit {
			return solver.Errorf(solver.RangeErr, solver.CodeDomain, "numPatterns", "adversarial training solves a dense system of 4 d P = %d unknowns; at most %d", 4*dd*rows, denseLimit)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"rho", s.Rho}, {"tol", s.Tol}} {
		if err := solver.CheckNonNegative(f.name, f.v); err != nil {
			return err
		}
	}
	if s.MaxIter < 0 {
		return solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxIter", "is %d; must be >= 0", s.MaxIter)
	}
	return nil
}

// randomGates draws rows x d standard normal gate vectors from seed.
func randomGates(rows, d int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	g := make([]float64, rows*d)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	return g
}

// padGates widens rows x w gates to width d with zero bias entries.
func padGates(g []float64, rows, w, d int) []float64 {
	out := make([]float64, rows*d)
	for i := range rows {
		copy(out[i*d:], g[i*w:(i+1)*w])
	}
	return out
}

// patternSet holds the distinct patterns: masks is count x n (row i = diag
// D_i as 0/1), kept the gate row each came from (first occurrence).
type patternSet struct {
	masks []float64
	count int
	kept  []int
}

// makePatterns computes d_i = 1[X g_i >= 0] for every gate row and keeps the
// first occurrence of each distinct pattern.
func makePatterns(x []float64, n, d int, gates []float64) patternSet {
	rows := len(gates) / d
	seen := make(map[string]bool, rows)
	key := make([]byte, n)
	var ps patternSet
	for i := range rows {
		g := gates[i*d : (i+1)*d]
		for k := range n {
			var dot float64
			for j, v := range x[k*d : (k+1)*d] {
				dot += v * g[j]
			}
			key[k] = 0
			if dot >= 0 {
				key[k] = 1
			}
		}
		if seen[string(key)] {
			continue
		}
		seen[string(key)] = true
		ps.kept = append(ps.kept, i)
		for _, b := range key {
			ps.masks = append(ps.masks, float64(b))
		}
		ps.count++
	}
	return ps
}
