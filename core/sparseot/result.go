package sparseot

import "math"

// export fills res from the recorded working plan: the plan in the input's
// orientation and units (values times the total mass), the potentials, and
// every figure recomputed from the returned plan.
func (w *oracle) export(res *Result, x []float64, total float64, p Problem) {
	nnz := len(w.vals)
	n, m := len(p.A), len(p.B)
	pl := Plan{N: n, M: m, Rows: make([]int32, nnz), Cols: make([]int32, nnz), Values: make([]float64, nnz)}
	for j := 0; j < w.m; j++ {
		lo, hi := w.colPtr[j], w.colPtr[j+1]
		res.MaxNonzeros = max(res.MaxNonzeros, hi-lo)
		for e := lo; e < hi; e++ {
			if w.trans {
				pl.Rows[e], pl.Cols[e] = int32(j), w.rowIdx[e]
			} else {
				pl.Rows[e], pl.Cols[e] = w.rowIdx[e], int32(j)
			}
			pl.Values[e] = w.vals[e] * total
		}
	}
	res.Plan = pl
	alpha := append([]float64(nil), x[:w.n]...)
	beta := append([]float64(nil), w.beta...)
	if w.trans {
		alpha, beta = beta, alpha
	}
	res.Alpha, res.Beta = alpha, beta

	rows := make([]float64, n)
	cols := make([]float64, m)
	for e, v := range pl.Values {
		i, j := int(pl.Rows[e]), int(pl.Cols[e])
		rows[i] += v
		cols[j] += v
		res.TransportCost += v * p.Cost[i*m+j]
	}
	for i, v := range rows {
		res.SourceError += math.Abs(v - p.A[i])
	}
	for j, v := range cols {
		res.TargetError += math.Abs(v - p.B[j])
	}
}
