package sparseot

import (
	"math"
	"sort"
)

// maxRepairSweeps bounds the row/column scaling sweeps of repair; each costs
// O(nnz).
const maxRepairSweeps = 10000

// seed is the relative size of the entries repair adds to a support.
const seed = 1e-2

// repair makes the recorded plan satisfy both marginals without exceeding k
// nonzeros per constrained column, when its support allows it:
//
//  1. Support completion: every column's support grows to its k rows of
//     least reduced cost C_ij - alpha_i - beta_j (the full allowance; the
//     solver's support is the best of those already), new entries small.
//  2. Matrix scaling on that fixed support (iterative proportional fitting,
//     i.e. Sinkhorn's algorithm restricted to the support): alternately
//     scale every row to its mass a_i and every column to b_j. When a plan
//     with both marginals exists on the support, this converges to the one
//     closest to the solver's plan in Kullback-Leibler divergence; it never
//     adds entries, so the bound k holds.
//
// It starts and ends on a column scaling, so column marginals hold exactly
// (if the rows then hold too, the support is left as it is). It returns
// whether the row marginals then hold within tol (L1, relative to the
// mass). When no such plan exists on the support (for example with k = 1
// and a column-to-row assignment that is not one-to-one, or rows in none of
// the widened supports), the row errors that remain are reported and the
// plan is the last scaled one.
func (w *oracle) repair(alpha []float64, tol float64) bool {
	w.scaleColumns()
	if w.marginalError() <= tol {
		return true // the rows hold already: keep the solver's support
	}
	w.completeSupport(alpha)
	defer w.dropZeros()
	for range maxRepairSweeps {
		w.scaleRows() // uses the row sums marginalError left
		w.scaleColumns()
		if w.marginalError() <= tol {
			return true
		}
	}
	return false
}

// scaleColumns scales every nonempty column of the recorded plan to b_j.
func (w *oracle) scaleColumns() {
	for j := 0; j < w.m; j++ {
		lo, hi := w.colPtr[j], w.colPtr[j+1]
		var sum float64
		for _, v := range w.vals[lo:hi] {
			sum += v
		}
		if sum > 0 {
			scale(w.vals[lo:hi], w.b[j]/sum)
		}
	}
}

// scaleRows scales every nonempty row of the recorded plan to a_i, given its
// current row sums in rowSum.
func (w *oracle) scaleRows() {
	for e, i := range w.rowIdx {
		if r := w.rowSum[i]; r > 0 {
			w.vals[e] *= w.a[i] / r
		}
	}
}

// completeSupport widens every column's support to its k best rows by
// reduced cost C_ij - alpha_i - beta_j (a superset of the current support,
// which consists of the best rows already), new entries starting at
// seed * min(a_i, b_j), and rebuilds the column-compressed plan with rows
// increasing in every column. alpha are the row potentials.
func (w *oracle) completeSupport(alpha []float64) {
	n, k := w.n, w.k
	colPtr := make([]int, 1, w.m+1)
	rowIdx := make([]int32, 0, w.m*k)
	vals := make([]float64, 0, w.m*k)
	for j0 := 0; j0 < w.m; j0 += blockCols {
		nb := min(blockCols, w.m-j0)
		w.fill(alpha, w.beta, j0, nb)
		for jj := 0; jj < nb; jj++ {
			j := j0 + jj
			top := w.proj.TopKAbove(w.blk[jj*n:(jj+1)*n], k, math.Inf(-1))
			sort.Ints(top)
			old, end := w.colPtr[j], w.colPtr[j+1]
			for _, i := range top {
				for old < end && int(w.rowIdx[old]) < i {
					old++ // outside the k best (only through ties): dropped
				}
				v := seed * math.Min(w.a[i], w.b[j])
				if old < end && int(w.rowIdx[old]) == i {
					v = w.vals[old]
					old++
				}
				rowIdx = append(rowIdx, int32(i))
				vals = append(vals, v)
			}
			colPtr = append(colPtr, len(rowIdx))
		}
	}
	w.colPtr, w.rowIdx, w.vals = colPtr, rowIdx, vals
}

// marginalError returns the L1 marginal error of the recorded plan and
// leaves its row sums in rowSum.
func (w *oracle) marginalError() float64 {
	for i := range w.rowSum {
		w.rowSum[i] = 0
	}
	var e float64
	for j := 0; j < w.m; j++ {
		var sum float64
		for p := w.colPtr[j]; p < w.colPtr[j+1]; p++ {
			w.rowSum[w.rowIdx[p]] += w.vals[p]
			sum += w.vals[p]
		}
		e += math.Abs(sum - w.b[j])
	}
	for i, r := range w.rowSum {
		e += math.Abs(r - w.a[i])
	}
	return e
}

// dropZeros removes entries that the scaling drove to exactly zero.
func (w *oracle) dropZeros() {
	e := 0
	start := 0
	for j := 0; j < w.m; j++ {
		for src := start; src < w.colPtr[j+1]; src++ {
			if w.vals[src] != 0 {
				w.rowIdx[e], w.vals[e] = w.rowIdx[src], w.vals[src]
				e++
			}
		}
		start = w.colPtr[j+1]
		w.colPtr[j+1] = e
	}
	w.rowIdx, w.vals = w.rowIdx[:e], w.vals[:e]
}
