package simplex

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bruteProject projects v onto the k-sparse simplex by trying every support of
// size <= k, projecting v restricted to it onto the simplex with a full sort,
// and keeping the closest point. It returns the squared distance.
func bruteProject(v []float64, k int, z float64) float64 {
	n := len(v)
	best := math.Inf(1)
	for mask := 1; mask < 1<<n; mask++ {
		var s []int
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				s = append(s, i)
			}
		}
		if len(s) > k {
			continue
		}
		sort.Slice(s, func(a, b int) bool { return v[s[a]] > v[s[b]] })
		theta, _ := Threshold(v, s, z)
		x := make([]float64, n)
		for _, i := range s {
			x[i] = math.Max(v[i]-theta, 0)
		}
		if d := sqDist(x, v); d < best {
			best = d
		}
	}
	return best
}

func sqDist(x, v []float64) float64 {
	var d float64
	for i := range x {
		d += (x[i] - v[i]) * (x[i] - v[i])
	}
	return d
}

func checkFeasible(t *testing.T, x []float64, supp []int, k int, z float64) {
	t.Helper()
	var sum float64
	nnz := 0
	for _, xi := range x {
		require.GreaterOrEqual(t, xi, 0.0)
		sum += xi
		if xi != 0 {
			nnz++
		}
	}
	assert.InDelta(t, z, sum, 1e-12*math.Max(1, z))
	assert.LessOrEqual(t, nnz, k)
	assert.Len(t, supp, nnz)
	assert.True(t, sort.IntsAreSorted(supp))
	for _, i := range supp {
		assert.Greater(t, x[i], 0.0)
	}
}

func TestProjectMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var p Projector
	for trial := 0; trial < 3000; trial++ {
		n := 1 + rng.IntN(9)
		k := 1 + rng.IntN(n+1) // sometimes k > n
		z := []float64{1, 0.3, 7.5}[trial%3]
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64() * 2
			if trial%5 == 0 {
				v[i] = math.Round(v[i]) // many ties
			}
		}
		x := make([]float64, n)
		supp := p.Project(x, v, k, z)
		checkFeasible(t, x, supp, k, z)
		require.InDelta(t, bruteProject(v, k, z), sqDist(x, v), 1e-9, "v=%v k=%d z=%v x=%v", v, k, z, x)
	}
}

func TestProjectEdgeCases(t *testing.T) {
	var p Projector
	// Already on the simplex: unchanged.
	x := make([]float64, 3)
	supp := p.Project(x, []float64{0.2, 0.3, 0.5}, 3, 1)
	assert.InDeltaSlice(t, []float64{0.2, 0.3, 0.5}, x, 1e-15)
	assert.Equal(t, []int{0, 1, 2}, supp)

	// All negative: the mass goes to the largest entry when the gap is large.
	supp = p.Project(x, []float64{-5, -1, -3}, 3, 1)
	assert.Equal(t, []float64{0, 1, 0}, x)
	assert.Equal(t, []int{1}, supp)

	// Ties at the boundary keep the lower index.
	supp = p.Project(x, []float64{1, 1, 1}, 2, 1)
	assert.Equal(t, []int{0, 1}, supp)
	assert.InDeltaSlice(t, []float64{0.5, 0.5, 0}, x, 1e-15)

	// k = 1 puts all of z on the argmax.
	supp = p.Project(x, []float64{0.1, 0.7, 0.4}, 1, 2.5)
	assert.Equal(t, []float64{0, 2.5, 0}, x)
	assert.Equal(t, []int{1}, supp)

	// Single entry.
	x1 := make([]float64, 1)
	p.Project(x1, []float64{-3}, 5, 4)
	assert.Equal(t, []float64{4}, x1)
}

func TestTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 500; trial++ {
		n := 1 + rng.IntN(60)
		k := 1 + rng.IntN(n)
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(rng.IntN(10)) // ties
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		TopK(v, idx, k)
		// The reference: a full sort by (value desc, index asc).
		ref := make([]int, n)
		copy(ref, idx)
		sort.Slice(ref, func(a, b int) bool {
			return v[ref[a]] > v[ref[b]] || (v[ref[a]] == v[ref[b]] && ref[a] < ref[b])
		})
		got := append([]int(nil), idx[:k]...)
		sort.Ints(got)
		want := append([]int(nil), ref[:k]...)
		sort.Ints(want)
		require.Equal(t, want, got)
	}
}

func BenchmarkProject1000k10(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	v := make([]float64, 1000)
	for i := range v {
		v[i] = rng.Float64()
	}
	x := make([]float64, 1000)
	var p Projector
	for b.Loop() {
		p.Project(x, v, 10, 1)
	}
}

func TestSupportMatchesProject(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var p Projector
	for trial := 0; trial < 2000; trial++ {
		n := 1 + rng.IntN(40)
		k := 1 + rng.IntN(n+2)
		// Scales far from z exercise the shifted Michelot iteration.
		scale := []float64{1e-6, 1, 1e6}[trial%3]
		z := []float64{1, 1e-3, 20}[trial%3]
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64() * scale
		}
		supp, shift, theta := p.Support(v, k, z)
		require.LessOrEqual(t, len(supp), k)
		var sum float64
		for _, i := range supp {
			require.Greater(t, (v[i]-shift)-theta, 0.0)
			sum += (v[i] - shift) - theta
		}
		require.InDelta(t, z, sum, 1e-9*z+1e-15*scale*float64(n))
		// The same support as a projection through a full sort.
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(a, b int) bool { return v[order[a]] > v[order[b]] })
		kk := min(k, n)
		th, rho := Threshold(v, order[:kk], z)
		require.Len(t, supp, rho)
		require.InDelta(t, th, shift+theta, 1e-9*math.Max(z, 1e-12*scale))
	}
}

func TestTopKAbove(t *testing.T) {
	var p Projector
	v := []float64{-1, 3, 0, 2, 2, 5}
	got := append([]int(nil), p.TopKAbove(v, 3, 0)...)
	sort.Ints(got)
	assert.Equal(t, []int{1, 3, 5}, got) // ties at 2 keep index 3
	got = append([]int(nil), p.TopKAbove(v, 10, 0)...)
	sort.Ints(got)
	assert.Equal(t, []int{1, 3, 4, 5}, got)
	assert.Empty(t, p.TopKAbove(v, 2, 5))
}
