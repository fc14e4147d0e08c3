package sparseot

import (
	"math"
	"sort"

	"github.com/optwasm/optwasm/core/simplex"
)

// blockCols is how many columns one pass over the rows of a row-major cost
// matrix gathers: reading blockCols contiguous entries per row makes the
// column-wise (strided) access cache-friendly without a transposed copy.
const blockCols = 64

// oracle evaluates the (semi-)dual objective and its gradient on the working
// problem: masses normalised to total 1 (gamma scaled by the total so that
// the potentials keep their units), and, for Row sparsity, the transposed
// problem, so that the cardinality bound is always on columns.
type oracle struct {
	n, m  int // rows, constrained columns of the working problem
	cost  []float64
	trans bool // working C_ij = cost[j*n+i] (else cost[i*m+j])
	a, b  []float64
	k     int
	gamma float64
	dual  bool

	blk    []float64          // blockCols columns of s_ij (alpha_i [+ beta_j] - C_ij)
	colMax [blockCols]float64 // max_i s_ij of each column in blk
	rowSum []float64          // T 1 of the current iterate
	beta   []float64          // column potentials of the last evaluation
	proj   simplex.Projector
	evals  int

	// The plan of the last recording evaluation, compressed by column:
	// column j holds rowIdx/vals[colPtr[j]:colPtr[j+1]], rows increasing.
	colPtr []int
	rowIdx []int32
	vals   []float64
}

func newOracle(p Problem, s Settings, total float64) *oracle {
	w := &oracle{
		n: len(p.A), m: len(p.B), cost: p.Cost,
		a: p.A, b: p.B, k: p.K, gamma: p.Gamma * total,
		dual: s.Method == Dual,
	}
	if s.Sparsity == Row {
		w.trans = true
		w.n, w.m = w.m, w.n
		w.a, w.b = w.b, w.a
	}
	w.a = scaled(w.a, 1/total)
	w.b = scaled(w.b, 1/total)
	if w.k > w.n {
		w.k = w.n
	}
	w.blk = make([]float64, blockCols*w.n)
	w.rowSum = make([]float64, w.n)
	w.beta = make([]float64, w.m)
	return w
}

func scaled(v []float64, c float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * c
	}
	return out
}

// dim is the number of optimisation variables.
func (w *oracle) dim() int {
	if w.dual {
		return w.n + w.m
	}
	return w.n
}

// fill writes s_ij = alpha_i + beta_j - C_ij for columns j0..j0+nb-1 into
// blk (column jj at blk[jj*n:]) and their maxima into colMax; beta is nil
// for the semi-dual.
func (w *oracle) fill(alpha, beta []float64, j0, nb int) {
	n := w.n
	if w.trans {
		for jj := 0; jj < nb; jj++ {
			var bj float64
			if beta != nil {
				bj = beta[j0+jj]
			}
			c := w.cost[(j0+jj)*n : (j0+jj+1)*n]
			s := w.blk[jj*n : (jj+1)*n]
			c, s = c[:len(alpha)], s[:len(alpha)] // lets the compiler drop bounds checks
			vmax := math.Inf(-1)
			for i, ai := range alpha {
				v := ai + bj - c[i]
				s[i] = v
				if v > vmax {
					vmax = v
				}
			}
			w.colMax[jj] = vmax
		}
		return
	}
	// Locals and a running index instead of fields and jj*n: Go's wasm
	// backend reloads fields and recomputes products on every access.
	m, blk, cost := w.m, w.blk, w.cost
	if beta == nil {
		for i, ai := range alpha {
			row := cost[i*m+j0 : i*m+j0+nb]
			k, jj := i, 0
			for ; jj+4 <= len(row); jj += 4 { // unrolled: wasm pays per loop test
				q := row[jj : jj+4 : jj+4]
				blk[k] = ai - q[0]
				blk[k+n] = ai - q[1]
				blk[k+2*n] = ai - q[2]
				blk[k+3*n] = ai - q[3]
				k += 4 * n
			}
			for ; jj < len(row); jj++ {
				blk[k] = ai - row[jj]
				k += n
			}
		}
	} else {
		bj := beta[j0 : j0+nb]
		for i, ai := range alpha {
			row := cost[i*m+j0 : i*m+j0+nb]
			k, jj := i, 0
			for ; jj+4 <= len(row); jj += 4 {
				q, b := row[jj:jj+4:jj+4], bj[jj:jj+4:jj+4]
				blk[k] = ai + b[0] - q[0]
				blk[k+n] = ai + b[1] - q[1]
				blk[k+2*n] = ai + b[2] - q[2]
				blk[k+3*n] = ai + b[3] - q[3]
				k += 4 * n
			}
			for ; jj < len(row); jj++ {
				blk[k] = ai + bj[jj] - row[jj]
				k += n
			}
		}
	}
	// The maxima in a second, contiguous pass over the block (cheaper than
	// a compare-and-store per gathered entry).
	for jj := 0; jj < nb; jj++ {
		w.colMax[jj] = maxOf(blk[jj*n : (jj+1)*n])
	}
}

// maxOf returns max(s), len(s) >= 1, with four running maxima: fewer loop
// tests per entry (Go's wasm backend does not unroll) and no single
// dependency chain.
func maxOf(s []float64) float64 {
	m0 := s[0]
	m1, m2, m3 := m0, m0, m0
	i := 0
	for ; i+4 <= len(s); i += 4 {
		q := s[i : i+4 : i+4]
		if q[0] > m0 {
			m0 = q[0]
		}
		if q[1] > m1 {
			m1 = q[1]
		}
		if q[2] > m2 {
			m2 = q[2]
		}
		if q[3] > m3 {
			m3 = q[3]
		}
	}
	for ; i < len(s); i++ {
		if s[i] > m0 {
			m0 = s[i]
		}
	}
	return max4(m0, m1, m2, m3)
}

// max4 returns the largest of four numbers (none NaN).
func max4(a, b, c, d float64) float64 {
	if b > a {
		a = b
	}
	if d > c {
		c = d
	}
	if c > a {
		a = c
	}
	return a
}

// eval returns F(x) = -(dual objective) of the working problem and writes
// its gradient into g: for the semi-dual g = T1 - a; for the dual
// g = (T1 - a, T^T1 - b), T the plan of x. With record it also stores that
// plan (the only allocating call, made once after the iterations).
func (w *oracle) eval(x, g []float64, record bool) float64 {
	w.evals++
	n, m, gamma := w.n, w.m, w.gamma
	alpha := x[:n]
	var beta []float64
	if w.dual {
		beta = x[n:]
	}
	for i := range w.rowSum {
		w.rowSum[i] = 0
	}
	if record {
		w.colPtr = make([]int, 0, m+1)
		w.colPtr = append(w.colPtr, 0)
		w.rowIdx, w.vals = w.rowIdx[:0], w.vals[:0]
	}
	var penalty float64 // sum_j of the column terms subtracted from the objective
	for j0 := 0; j0 < m; j0 += blockCols {
		nb := min(blockCols, m-j0)
		w.fill(alpha, beta, j0, nb)
		for jj := 0; jj < nb; jj++ {
			j := j0 + jj
			s := w.blk[jj*n : (jj+1)*n]
			var supp []int
			var shift, theta float64
			if w.dual {
				// delta_k: the k largest positive s_i, t_i = s_i/gamma.
				supp = w.proj.TopKAbove(s, w.k, 0)
			} else {
				// b_j M_k: t_j = b_j P_k(s/(gamma b_j)) = (s_i - threshold)/gamma
				// on the support, the threshold that of the projection of s
				// onto the k-sparse simplex of total gamma b_j. Projecting s
				// itself (no division by gamma) means tiny gamma cannot
				// overflow, and the shifted form keeps t_i > 0 and accurate
				// when |s| >> gamma b_j.
				supp, shift, theta = w.proj.SupportMax(s, w.colMax[jj], w.k, gamma*w.b[j])
				w.beta[j] = -(shift + theta)
			}
			if record {
				sort.Ints(supp)
			}
			var colSum, col float64
			for _, i := range supp {
				t := ((s[i] - shift) - theta) / gamma
				w.rowSum[i] += t
				colSum += t
				if w.dual {
					col += t * t
				} else {
					col += t * (s[i] - 0.5*gamma*t)
				}
				if record {
					w.rowIdx = append(w.rowIdx, int32(i))
					w.vals = append(w.vals, t)
				}
			}
			if w.dual {
				penalty += 0.5 * gamma * col
				g[n+j] = colSum - w.b[j]
			} else {
				penalty += col
			}
			if record {
				w.colPtr = append(w.colPtr, len(w.rowIdx))
			}
		}
	}
	obj := -penalty
	for i, ai := range alpha {
		obj += ai * w.a[i]
		g[i] = w.rowSum[i] - w.a[i]
	}
	if w.dual {
		copy(w.beta, beta)
		for j, bj := range beta {
			obj += bj * w.b[j]
		}
	}
	if math.IsNaN(obj) {
		return math.Inf(1)
	}
	return -obj
}
