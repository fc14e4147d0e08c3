package sparseot

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
)

// auctionScale is the factor by which epsilon shrinks between phases, and
// auctionPrecision the final epsilon relative to the cost range divided by n:
// the assignment found is within n*eps = 1e-12 * range of the optimum.
const (
	auctionScale     = 8
	auctionPrecision = 1e-12
)

// isAssignment reports whether p is an assignment problem: n = m, k = 1 and
// all weights equal. Then a plan with one nonzero per column and both
// marginals is a permutation matrix times a_1, whatever the sparsity axis,
// and its objective <T, C> + (gamma/2)||T||^2 differs from <T, C> by a
// constant, so the exact optimum of the (nonconvex) primal is the optimal
// assignment, whose LP relaxation is tight.
func isAssignment(p Problem) bool {
	n := len(p.A)
	if n != len(p.B) || p.K != 1 {
		return false
	}
	for i := range p.A {
		if p.A[i] != p.A[0] || p.B[i] != p.A[0] {
			return false
		}
	}
	return true
}

// solveAssignment solves the assignment case by Bertsekas' forward auction
// with epsilon-scaling: rows bid for columns (scanning a row of the
// row-major cost is contiguous); a row bids for its best column j1 of value
// v_j = -C_ij - price_j, raising that price by v_j1 - v_j2 + eps. At the end
// every row holds a column within eps of its best (eps-complementary
// slackness), so the assignment is within n*eps of optimal. Iterations counts
// the epsilon phases; each bid costs O(n).
func solveAssignment(p Problem, sparsity Sparsity, ctl *solver.Control) *Result {
	n := len(p.A)
	c := p.Cost
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range c {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	price := make([]float64, n)
	owner := make([]int, n)    // owner[j]: the row holding column j, or -1
	holds := make([]int, n)    // holds[i]: the column row i holds, or -1
	queue := make([]int, 0, n) // rows without a column
	status, phases := solver.Converged, 0
	epsMin := auctionPrecision * (hi - lo) / float64(n)
	eps := (hi - lo) / 4
	for ; ; eps /= auctionScale {
		if eps < epsMin || eps == 0 {
			eps = epsMin
		}
		phases++
		for j := range owner {
			owner[j], holds[j] = -1, -1
		}
		queue = queue[:0]
		for i := n - 1; i >= 0; i-- {
			queue = append(queue, i)
		}
		bids := 0
		for len(queue) > 0 && eps > 0 {
			i := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			row := c[i*n : (i+1)*n]
			best, v1, v2 := 0, math.Inf(-1), math.Inf(-1)
			for j, cij := range row {
				v := -cij - price[j]
				if v > v1 {
					best, v1, v2 = j, v, v1
				} else if v > v2 {
					v2 = v
				}
			}
			if n > 1 {
				price[best] += v1 - v2 + eps
			}
			if prev := owner[best]; prev >= 0 {
				holds[prev] = -1
				queue = append(queue, prev)
			}
			owner[best], holds[i] = i, best
			if bids++; bids%n == 0 {
				if st, stop := ctl.Interrupted(); stop {
					status = st
					break
				}
			}
		}
		if eps == 0 {
			// Equal costs everywhere: the identity is optimal.
			for i := range holds {
				holds[i], owner[i] = i, i
			}
		}
		if status != solver.Converged {
			// Give the rows still waiting the free columns, in order, so the
			// plan stays a permutation.
			free := 0
			for _, i := range queue {
				for owner[free] >= 0 {
					free++
				}
				owner[free], holds[i] = i, free
			}
			break
		}
		ctl.Report(phases, assignmentCost(c, holds, p.A[0]), 0)
		if eps <= epsMin || eps == 0 {
			break
		}
		if st, stop := ctl.Interrupted(); stop {
			status = st
			break
		}
	}
	return assignmentResult(p, sparsity, holds, price, phases, status)
}

// assignmentCost returns sum_i C_{i, holds[i]} times the common weight w.
func assignmentCost(c []float64, holds []int, w float64) float64 {
	n := len(holds)
	var sum float64
	for i, j := range holds {
		sum += c[i*n+j]
	}
	return sum * w
}

// assignmentResult turns an assignment into a Result: the plan, grouped by
// the constrained axis, and potentials consistent with the semi-dual's plan
// formula. alpha_i = min_j (C_ij + price_j) and beta_j = -price_j are dual
// feasible (alpha_i + beta_j <= C_ij); beta is then raised on each assigned
// pair so that T_ij = (alpha_i + beta_j - C_ij)/gamma = w there.
func assignmentResult(p Problem, sparsity Sparsity, holds []int, price []float64, phases int, status solver.Status) *Result {
	n := len(holds)
	w := p.A[0]
	c := p.Cost
	res := &Result{Status: status, Iterations: phases, MaxNonzeros: 1}
	res.Alpha = make([]float64, n)
	res.Beta = make([]float64, n)
	for i := 0; i < n; i++ {
		a := math.Inf(1)
		for j, cij := range c[i*n : (i+1)*n] {
			a = math.Min(a, cij+price[j])
		}
		res.Alpha[i] = a
	}
	rowOf := make([]int, n)
	for i, j := range holds {
		rowOf[j] = i
		res.Beta[j] = c[i*n+j] - res.Alpha[i] + p.Gamma*w
	}
	pl := Plan{N: n, M: n, Rows: make([]int32, n), Cols: make([]int32, n), Values: make([]float64, n)}
	for e := 0; e < n; e++ {
		i, j := rowOf[e], e // grouped by column
		if sparsity == Row {
			i, j = e, holds[e]
		}
		pl.Rows[e], pl.Cols[e], pl.Values[e] = int32(i), int32(j), w
	}
	res.Plan = pl
	res.TransportCost = assignmentCost(c, holds, w)
	res.Objective = res.TransportCost + 0.5*p.Gamma*w*w*float64(n)
	return res
}
