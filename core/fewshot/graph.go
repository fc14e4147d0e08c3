package fewshot

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
)

// graph is a sparse symmetric affinity matrix in CSR form.
type graph struct {
	rowPtr []int32
	col    []int32
	val    []float64
}

// tile is the number of rows per cache block of the distance computation:
// two tiles of 128 rows x 64 float64 features (128 KB) stay in L2.
const tile = 128

// knnGraph returns W_sym = (W + W^T)/2 for the binary kNN graph of the n rows
// of x (n x d, row-major): W_pq = 1 when q is one of the m nearest other
// points of p in Euclidean distance (ties broken by the smaller index), else 0.
// Mutual neighbours get weight 1 and one-way neighbours 1/2.
//
// Squared distances are computed as |x_p|^2 + |x_q|^2 - 2 x_p.x_q, each pair
// once (the upper triangle), in cache tiles with a 4x2 register block, and
// only the m best candidates per row are kept: O(n^2 d) time, O(n m) memory,
// never an n x n matrix. It checks ctl between row tiles and returns false
// (and an empty graph) if the solve was interrupted.
func knnGraph(x []float64, n, d, m int, ctl *solver.Control) (graph, bool) {
	empty := graph{rowPtr: make([]int32, n+1)}
	if m <= 0 || n < 2 {
		return empty, true
	}
	sq := rowNorms2(make([]float64, n), x, d)
	best := newTopLists(n, m)
	var blk [8]float64
	for i0 := 0; i0 < n; i0 += tile {
		if _, stop := ctl.Interrupted(); stop {
			return empty, false
		}
		i1 := min(i0+tile, n)
		for j0 := i0; j0 < n; j0 += tile {
			j1 := min(j0+tile, n)
			for i := i0; i < i1; i += 4 {
				jStart := j0
				if j0 == i0 {
					jStart = i // the lower triangle of a diagonal tile repeats pairs
				}
				for j := jStart; j < j1; j += 2 {
					if i+4 <= i1 && j+2 <= j1 {
						dot4x2(x, x, d, i, j, &blk)
						for r := range 4 {
							for c := range 2 {
								// Most pairs rank in neither row: test against
								// the rows' worst kept distances before calling.
								p, q, dd := i+r, j+c, sq[i+r]+sq[j+c]-2*blk[2*r+c]
								if (dd <= best.worst[p] || dd <= best.worst[q]) && p < q {
									best.pair(p, q, dd)
								}
							}
						}
						continue
					}
					for r := i; r < min(i+4, i1); r++ {
						for c := j; c < min(j+2, j1); c++ {
							best.pair(r, c, sq[r]+sq[c]-2*dot(x[r*d:(r+1)*d], x[c*d:(c+1)*d]))
						}
					}
				}
			}
		}
	}
	return best.symmetric(), true
}

// dot4x2 writes into blk[2r+c] the dot products a_{i+r} . b_{j+c} of rows
// of the row-major matrices a and b (width d), for r in 0..3, c in 0..1.
// Eight accumulators share six loads per feature and, with those loads, fit
// in the 16 float registers of amd64 and of V8's wasm code: 1.7x faster than
// a 4x4 block (which spills) and 3x (native) to 10x (wasm) faster than one
// dot product at a time.
func dot4x2(a, b []float64, d, i, j int, blk *[8]float64) {
	a0, a1, a2, a3 := a[i*d:(i+1)*d], a[(i+1)*d:(i+2)*d], a[(i+2)*d:(i+3)*d], a[(i+3)*d:(i+4)*d]
	b0, b1 := b[j*d:(j+1)*d], b[(j+1)*d:(j+2)*d]
	a1, a2, a3 = a1[:len(a0)], a2[:len(a0)], a3[:len(a0)]
	b0, b1 = b0[:len(a0)], b1[:len(a0)]
	var s00, s01, s10, s11, s20, s21, s30, s31 float64
	for t, u0 := range a0 {
		u1, u2, u3 := a1[t], a2[t], a3[t]
		v0, v1 := b0[t], b1[t]
		s00 += u0 * v0
		s01 += u0 * v1
		s10 += u1 * v0
		s11 += u1 * v1
		s20 += u2 * v0
		s21 += u2 * v1
		s30 += u3 * v0
		s31 += u3 * v1
	}
	*blk = [8]float64{s00, s01, s10, s11, s20, s21, s30, s31}
}

// dot4x1 returns the dot products a_{i+r} . v for r in 0..3.
func dot4x1(a, v []float64, d, i int) (s0, s1, s2, s3 float64) {
	a0, a1, a2, a3 := a[i*d:(i+1)*d], a[(i+1)*d:(i+2)*d], a[(i+2)*d:(i+3)*d], a[(i+3)*d:(i+4)*d]
	a1, a2, a3, v = a1[:len(a0)], a2[:len(a0)], a3[:len(a0)], v[:len(a0)]
	for t, u := range v {
		s0 += a0[t] * u
		s1 += a1[t] * u
		s2 += a2[t] * u
		s3 += a3[t] * u
	}
	return
}

// crossDots writes out[i*nb+j] = a_i . b_j for the na rows of a and the nb
// rows of b (both row-major, width d), in 4x2 register blocks (4x1 for an
// odd last column of b).
func crossDots(out, a []float64, na int, b []float64, nb, d int) {
	var blk [8]float64
	for i := 0; i < na; i += 4 {
		for j := 0; j < nb; j += 2 {
			if i+4 <= na && j+2 <= nb {
				dot4x2(a, b, d, i, j, &blk)
				for r := range 4 {
					out[(i+r)*nb+j], out[(i+r)*nb+j+1] = blk[2*r], blk[2*r+1]
				}
				continue
			}
			if i+4 <= na {
				out[i*nb+j], out[(i+1)*nb+j], out[(i+2)*nb+j], out[(i+3)*nb+j] = dot4x1(a, b[j*d:(j+1)*d], d, i)
				continue
			}
			for r := i; r < min(i+4, na); r++ {
				for c := j; c < min(j+2, nb); c++ {
					out[r*nb+c] = dot(a[r*d:(r+1)*d], b[c*d:(c+1)*d])
				}
			}
		}
	}
}

// topLists keeps, for each of n rows, its m nearest candidates sorted by
// (distance, index) ascending.
type topLists struct {
	m     int
	dist  []float64
	idx   []int32
	worst []float64 // dist of each row's m-th candidate
}

func newTopLists(n, m int) *topLists {
	t := &topLists{m: m, dist: make([]float64, n*m), idx: make([]int32, n*m), worst: make([]float64, n)}
	for i := range t.dist {
		t.dist[i] = math.Inf(1)
		t.idx[i] = math.MaxInt32
	}
	for i := range t.worst {
		t.worst[i] = math.Inf(1)
	}
	return t
}

// pair offers the pair (p, q), p < q, at squared distance dd to both rows.
// Rounding can make dd slightly negative; that does not affect the order.
func (t *topLists) pair(p, q int, dd float64) {
	if p >= q {
		return
	}
	t.offer(p, q, dd)
	t.offer(q, p, dd)
}

// offer inserts candidate q at distance dd into row p if it ranks among the
// m best by (distance, index).
func (t *topLists) offer(p, q int, dd float64) {
	m := t.m
	ds, is := t.dist[p*m:(p+1)*m], t.idx[p*m:(p+1)*m]
	qi := int32(q)
	if dd > ds[m-1] || (dd == ds[m-1] && qi > is[m-1]) {
		return
	}
	k := m - 1
	for k > 0 && (dd < ds[k-1] || (dd == ds[k-1] && qi < is[k-1])) {
		ds[k], is[k] = ds[k-1], is[k-1]
		k--
	}
	ds[k], is[k] = dd, qi
	t.worst[p] = ds[m-1]
}

// symmetric builds W_sym = (W + W^T)/2 in CSR with sorted columns. Row p is
// the merge of its out-list (its m neighbours, weight 1/2 each) and its
// in-list (the points having p as a neighbour, weight 1/2 each); an entry in
// both gets weight 1.
func (t *topLists) symmetric() graph {
	m := t.m
	n := len(t.idx) / m
	inPtr := make([]int32, n+1)
	for _, q := range t.idx {
		inPtr[q+1]++
	}
	for i := range n {
		inPtr[i+1] += inPtr[i]
	}
	inIdx := make([]int32, len(t.idx))
	fill := make([]int32, n)
	copy(fill, inPtr[:n])
	for p := range n { // increasing p, so every in-list comes out sorted
		for _, q := range t.idx[p*m : (p+1)*m] {
			inIdx[fill[q]] = int32(p)
			fill[q]++
		}
	}
	g := graph{rowPtr: make([]int32, n+1), col: make([]int32, 0, 2*len(t.idx)), val: make([]float64, 0, 2*len(t.idx))}
	out := make([]int32, m)
	for p := range n {
		copy(out, t.idx[p*m:(p+1)*m])
		for k := 1; k < m; k++ { // insertion sort of m entries by column
			for l := k; l > 0 && out[l] < out[l-1]; l-- {
				out[l], out[l-1] = out[l-1], out[l]
			}
		}
		in := inIdx[inPtr[p]:inPtr[p+1]]
		a, b := 0, 0
		for a < len(out) || b < len(in) {
			switch {
			case b == len(in) || (a < len(out) && out[a] < in[b]):
				g.col, g.val = append(g.col, out[a]), append(g.val, 0.5)
				a++
			case a == len(out) || in[b] < out[a]:
				g.col, g.val = append(g.col, in[b]), append(g.val, 0.5)
				b++
			default:
				g.col, g.val = append(g.col, out[a]), append(g.val, 1)
				a++
				b++
			}
		}
		g.rowPtr[p+1] = int32(len(g.col))
	}
	return g
}

// rowNorms2 sets sq[i] = |x_i|^2 for the first len(sq) rows of x (width d)
// and returns sq.
func rowNorms2(sq, x []float64, d int) []float64 {
	for i := range sq {
		r := x[i*d : (i+1)*d]
		sq[i] = dot(r, r)
	}
	return sq
}

// mulY writes f = W_sym y for y, f n x k row-major.
func (g *graph) mulY(f, y []float64, k int) {
	for p := range len(g.rowPtr) - 1 {
		g.rowDot(f[p*k:(p+1)*k], y, p, k)
	}
}

// rowDot writes (W_sym y)_p = sum_q w_pq y_q into fp (length k). The first
// edge assigns instead of adding, which spares clearing fp (a runtime call
// per row in wasm).
func (g *graph) rowDot(fp, y []float64, p, k int) {
	lo, hi := g.rowPtr[p], g.rowPtr[p+1]
	if lo == hi {
		for l := range fp {
			fp[l] = 0
		}
		return
	}
	w, c := g.val[lo], int(g.col[lo])
	yq := y[c*k : c*k+k][:len(fp)]
	for l := range fp {
		fp[l] = w * yq[l]
	}
	for e := lo + 1; e < hi; e++ {
		w, c = g.val[e], int(g.col[e])
		yq = y[c*k : c*k+k][:len(fp)]
		for l := range fp {
			fp[l] += w * yq[l]
		}
	}
}

// edges reports whether the graph has any edge.
func (g *graph) edges() bool { return len(g.col) > 0 }
