// Package simplex computes Euclidean projections onto the probability simplex
// and onto its k-sparse subset, and selects the k largest entries of a vector
// in expected linear time. The sparse OT solver calls these once per column
// per objective evaluation, so the Projector reuses its buffers.
package simplex

import (
	"math"
	"sort"
)

// TopK reorders idx (a permutation of indices into v) so that its first k
// entries index the k largest values of v, ordered by (value descending,
// index ascending) at the boundary so that ties are broken deterministically.
// The first k entries are not sorted among themselves. It runs in expected
// O(len(idx)) time (quickselect with median-of-three pivots).
func TopK(v []float64, idx []int, k int) {
	n := len(idx)
	if k <= 0 || k >= n {
		return
	}
	// before reports whether entry i ranks before entry j.
	before := func(i, j int) bool {
		vi, vj := v[i], v[j]
		return vi > vj || (vi == vj && i < j)
	}
	lo, hi := 0, n-1
	for hi > lo {
		// Median of three as pivot, moved to hi.
		mid := lo + (hi-lo)/2
		if before(idx[mid], idx[lo]) {
			idx[mid], idx[lo] = idx[lo], idx[mid]
		}
		if before(idx[hi], idx[lo]) {
			idx[hi], idx[lo] = idx[lo], idx[hi]
		}
		if before(idx[mid], idx[hi]) {
			idx[mid], idx[hi] = idx[hi], idx[mid]
		}
		pivot := idx[hi]
		store := lo
		for i := lo; i < hi; i++ {
			if before(idx[i], pivot) {
				idx[i], idx[store] = idx[store], idx[i]
				store++
			}
		}
		idx[store], idx[hi] = idx[hi], idx[store]
		switch {
		case store == k-1 || store == k:
			return
		case store < k:
			lo = store + 1
		default:
			hi = store - 1
		}
	}
}

// Projector projects vectors onto the k-sparse simplex
// {x >= 0, sum x = z, ||x||_0 <= k}. Its methods reuse internal buffers, so a
// Projector must not be used by two goroutines at once. The zero value is
// ready to use.
type Projector struct {
	idx []int
}

// Project writes into x (len(x) == len(v)) the Euclidean projection of v onto
// {x >= 0, sum_i x_i = z, ||x||_0 <= k}, for z > 0 and k >= 1:
//
//	x = argmin ||x - v||_2  over that set.
//
// Following Kyrillidis et al. (2013), the support is the set S of the k
// largest entries of v, and x restricted to S is the projection of v_S onto
// the simplex of total z: x_i = max(v_i - theta, 0) with
// theta = (sum_{i<=rho} u_i - z)/rho, u the sorted entries of v_S and rho the
// largest r with u_r > (sum_{i<=r} u_i - z)/r. It returns the indices of the
// nonzero entries of x, in increasing order; the returned slice is owned by
// the Projector and is overwritten by the next call.
func (p *Projector) Project(x, v []float64, k int, z float64) []int {
	supp, shift, theta := p.Support(v, k, z)
	for i := range x {
		x[i] = 0
	}
	for _, i := range supp {
		x[i] = (v[i] - shift) - theta
	}
	sort.Ints(supp)
	return supp
}

// Support returns the support S and the threshold of the projection of v
// onto {x >= 0, sum x = z, ||x||_0 <= k} (z > 0, k >= 1), in coordinates
// shifted by shift = max(v): the projection is x_i = (v_i - shift) - theta > 0
// for i in S and 0 elsewhere (theta = threshold - max(v) < 0). Evaluating x_i
// in that form, as Support's own test does, keeps every x_i in S positive and
// accurate even when |v| is many orders of magnitude above z. S is in no
// particular order and is owned by the Projector (overwritten by the next
// call). Ties at the k-th largest value keep the lower index, as in TopK.
//
// It needs no sort: since x_i <= z, the threshold is >= max(v) - z, so only
// entries with v_i >= max(v) - z can be in S (usually a handful). Among those
// it keeps the k largest (TopK) and finds theta by Michelot's fixed point:
// theta = (sum_S (v_i - shift) - z)/|S|, then drop the i in S with
// v_i - shift <= theta, until nothing is dropped. Expected cost O(len(v))
// plus O(|S|) per Michelot pass.
func (p *Projector) Support(v []float64, k int, z float64) (supp []int, shift, theta float64) {
	vmax := v[0]
	for _, vi := range v[1:] {
		if vi > vmax {
			vmax = vi
		}
	}
	return p.SupportMax(v, vmax, k, z)
}

// SupportMax is Support for a caller that already knows vmax = max(v)
// (computed while filling v), saving one pass over v.
func (p *Projector) SupportMax(v []float64, vmax float64, k int, z float64) (supp []int, shift, theta float64) {
	// >= rather than > so that the maximum stays a candidate when z is
	// below the rounding unit of vmax.
	cand := p.above(v, vmax-z)
	if len(cand) > k {
		TopK(v, cand, k)
		cand = cand[:k]
	}
	// The maximum always stays in S: its shifted value 0 exceeds theta < 0.
	for {
		var sum float64
		for _, i := range cand {
			sum += v[i] - vmax
		}
		shifted := (sum - z) / float64(len(cand))
		kept := cand[:0]
		for _, i := range cand {
			if v[i]-vmax > shifted {
				kept = append(kept, i)
			}
		}
		if len(kept) == len(cand) {
			return cand, vmax, shifted
		}
		cand = kept
	}
}

// TopKAbove returns the indices of the (at most k) largest entries of v among
// those strictly greater than lower, in no particular order, with ties at the
// k-th value broken towards the lower index. The slice is owned by the
// Projector and is overwritten by the next call.
func (p *Projector) TopKAbove(v []float64, k int, lower float64) []int {
	cand := p.above(v, math.Nextafter(lower, math.Inf(1)))
	if len(cand) > k {
		TopK(v, cand, k)
		cand = cand[:k]
	}
	return cand
}

// above returns the indices i with v[i] >= lower, in increasing order, in
// the Projector's buffer. Blocks of four are tested at once: candidates are
// usually rare, so one well-predicted branch per block replaces four.
func (p *Projector) above(v []float64, lower float64) []int {
	cand := p.buffer(len(v))
	c, i := 0, 0
	for ; i+4 <= len(v); i += 4 {
		q := v[i : i+4 : i+4]
		if q[0] < lower && q[1] < lower && q[2] < lower && q[3] < lower {
			continue
		}
		for d, x := range q {
			if x >= lower {
				cand[c] = i + d
				c++
			}
		}
	}
	for ; i < len(v); i++ {
		if v[i] >= lower {
			cand[c] = i
			c++
		}
	}
	return cand[:c]
}

// buffer returns the index buffer with room for n entries.
func (p *Projector) buffer(n int) []int {
	if cap(p.idx) < n {
		p.idx = make([]int, n)
	}
	return p.idx[:n]
}

// Threshold returns the simplex-projection threshold theta and the support
// size rho for the entries v[order[0]] >= v[order[1]] >= ... (order must list
// them in decreasing value): rho = max{r : u_r - (sum_{i<=r} u_i - z)/r > 0}
// and theta = (sum_{i<=rho} u_i - z)/rho, so that max(v_i - theta, 0) over
// the listed entries sums to z.
func Threshold(v []float64, order []int, z float64) (theta float64, rho int) {
	var sum, sumRho float64
	rho = 1
	for r, i := range order {
		sum += v[i]
		if v[i]-(sum-z)/float64(r+1) > 0 {
			rho, sumRho = r+1, sum
		}
	}
	return (sumRho - z) / float64(rho), rho
}
