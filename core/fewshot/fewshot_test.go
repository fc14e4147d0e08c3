package fewshot

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/internal/refdata"
	"github.com/stretchr/testify/require"
)

// golden is tests/golden/fewshot.json, written by fewshot_gen.py.
type golden struct {
	Digits struct {
		N, D   int
		Pixels string `json:"pixels_u8_b64"`
		Labels []int
	}
	Ways, Queries int
	Episodes      map[string]struct {
		Shot, Count int
		Indices     string `json:"indices_u16_b64"`
		Reference   map[string]struct {
			Mean, CI95 float64
			Accuracy   []float64
		}
	}
	KMeans   struct{ NMI float64 }
	NMIPairs []struct {
		A, B []int32
		NMI  float64
	} `json:"nmi_pairs"`

	x      []float64 // digits pixels, n x d
	center []float64 // their global mean
}

var (
	goldenOnce sync.Once
	goldenData *golden
)

func loadGolden(t *testing.T) *golden {
	t.Helper()
	goldenOnce.Do(func() {
		g := new(golden)
		if refdata.Load("fewshot", g) != nil {
			return
		}
		pix, err := base64.StdEncoding.DecodeString(g.Digits.Pixels)
		if err != nil || len(pix) != g.Digits.N*g.Digits.D {
			return
		}
		g.x = make([]float64, len(pix))
		for i, v := range pix {
			g.x[i] = float64(v)
		}
		g.center = colMean(g.x, 0, g.Digits.N, g.Digits.D)
		goldenData = g
	})
	require.NotNil(t, goldenData, "cannot load ../../tests/golden/fewshot.json")
	return goldenData
}

// episodes returns the stored index lists of the given shot.
func (g *golden) episodes(t *testing.T, shot int) [][]int {
	ep := g.Episodes[map[int]string{1: "1", 5: "5"}[shot]]
	raw, err := base64.StdEncoding.DecodeString(ep.Indices)
	require.NoError(t, err)
	per := g.Ways * (shot + g.Queries)
	require.Equal(t, ep.Count*per*2, len(raw))
	out := make([][]int, ep.Count)
	for e := range out {
		out[e] = make([]int, per)
		for i := range per {
			out[e][i] = int(binary.LittleEndian.Uint16(raw[2*(e*per+i):]))
		}
	}
	return out
}

// problem builds the episode: support rows are grouped by class (shot each)
// and classes are renumbered 0..ways-1 in order of appearance.
func (g *golden) problem(idx []int, shot int) (*Problem, []int) {
	d := g.Digits.D
	ns := g.Ways * shot
	remap := map[int]int{}
	for i := 0; i < ns; i += shot {
		remap[g.Digits.Labels[idx[i]]] = len(remap)
	}
	p := &Problem{Dim: d, Center: g.center}
	var truth []int
	for i, j := range idx {
		row := g.x[j*d : (j+1)*d]
		if i < ns {
			p.Support = append(p.Support, row...)
			p.SupportLabels = append(p.SupportLabels, remap[g.Digits.Labels[j]])
		} else {
			p.Query = append(p.Query, row...)
			truth = append(truth, remap[g.Digits.Labels[j]])
		}
	}
	return p, truth
}

func accuracy(labels []int32, truth []int) float64 {
	c := 0
	for i, l := range labels {
		if int(l) == truth[i] {
			c++
		}
	}
	return float64(c) / float64(len(truth))
}

var methods = []Method{Prototype, LaplacianShot, KMeans, SLKMeans}

// episodeAccuracies runs every stored episode of a shot with each method.
var (
	accOnce sync.Once
	accData map[int]map[Method][]float64
)

func episodeAccuracies(t *testing.T) map[int]map[Method][]float64 {
	g := loadGolden(t)
	accOnce.Do(func() {
		accData = map[int]map[Method][]float64{}
		for _, shot := range []int{1, 5} {
			accData[shot] = map[Method][]float64{}
			for _, idx := range g.episodes(t, shot) {
				p, truth := g.problem(idx, shot)
				for _, m := range methods {
					s := DefaultSettings()
					s.Method = m
					r, err := Solve(p, s, nil)
					require.NoError(t, err)
					accData[shot][m] = append(accData[shot][m], accuracy(r.Labels, truth))
				}
			}
		}
	})
	return accData
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// The mean accuracy of each method over the stored digits episodes agrees
// with the numpy reference within the reference's 95% confidence interval,
// and nearly every episode has exactly the reference's accuracy.
func TestGoldenEpisodeAccuracy(t *testing.T) {
	g := loadGolden(t)
	acc := episodeAccuracies(t)
	for _, shot := range []int{1, 5} {
		ref := g.Episodes[map[int]string{1: "1", 5: "5"}[shot]].Reference
		for _, m := range methods {
			r := ref[string(m)]
			got := acc[shot][m]
			require.Len(t, got, len(r.Accuracy))
			same := 0
			for i, a := range got {
				if math.Abs(a-r.Accuracy[i]) < 1e-9 {
					same++
				}
			}
			t.Logf("%d-shot %-13s go %.2f%%  numpy %.2f +- %.2f%%  identical episodes %d/%d",
				shot, m, 100*mean(got), 100*r.Mean, 100*r.CI95, same, len(got))
			require.InDelta(t, r.Mean, mean(got), r.CI95, "%d-shot %s", shot, m)
			require.GreaterOrEqual(t, float64(same), 0.95*float64(len(got)), "%d-shot %s", shot, m)
		}
	}
}

// SLK-Means beats the nearest-prototype baseline clearly at 1 shot: by more
// than 5 points of mean accuracy, and with a paired 95% interval above 0.
func TestSLKBeatsPrototypeOneShot(t *testing.T) {
	acc := episodeAccuracies(t)[1]
	diff := make([]float64, len(acc[SLKMeans]))
	for i := range diff {
		diff[i] = acc[SLKMeans][i] - acc[Prototype][i]
	}
	m := mean(diff)
	v := 0.0
	for _, x := range diff {
		v += (x - m) * (x - m)
	}
	half := 1.96 * math.Sqrt(v/float64(len(diff))) / math.Sqrt(float64(len(diff)))
	t.Logf("SLK - prototype, 1-shot: %.2f +- %.2f points", 100*m, 100*half)
	require.Greater(t, m, 0.05)
	require.Greater(t, m-half, 0.0)
}

func TestNMIMatchesSklearn(t *testing.T) {
	g := loadGolden(t)
	require.NotEmpty(t, g.NMIPairs)
	for _, pr := range g.NMIPairs {
		require.InDelta(t, pr.NMI, NMI(pr.A, pr.B), 1e-12)
		require.InDelta(t, pr.NMI, NMI(pr.B, pr.A), 1e-12)
	}
	require.Equal(t, 1.0, NMI([]int32{3, 3, 3}, []int32{7, 7, 7}))
	require.Equal(t, 0.0, NMI([]int32{0, 0, 1, 1}, []int32{0, 1, 0, 1}))
	require.True(t, math.IsNaN(NMI([]int32{0}, []int32{0, 1})))
}

// Laplacian K-means on all of digits reaches at least the NMI of
// scikit-learn's KMeans (10 k-means++ restarts) with the default settings.
func TestClusterDigitsNMI(t *testing.T) {
	g := loadGolden(t)
	truth := make([]int32, g.Digits.N)
	for i, l := range g.Digits.Labels {
		truth[i] = int32(l)
	}
	p := &ClusterProblem{Points: g.x, Dim: g.Digits.D, NumClusters: 10}
	r, err := Cluster(p, nil, nil)
	require.NoError(t, err)
	nmi := NMI(truth, r.Labels)
	t.Logf("cluster NMI %.4f (sklearn KMeans %.4f), %s after %d outer iterations, %d bound steps",
		nmi, g.KMeans.NMI, r.Status, r.Iterations, len(r.Energy))
	require.GreaterOrEqual(t, nmi, g.KMeans.NMI)
	require.Len(t, r.Probabilities, g.Digits.N*10)
	require.Len(t, r.Prototypes, 10*g.Digits.D)
	requireInnerMonotone(t, r)

	again, err := Cluster(p, nil, nil)
	require.NoError(t, err)
	require.Equal(t, r.Labels, again.Labels, "same seed, same clustering")
	require.Equal(t, r.Energy, again.Energy)
}

// requireInnerMonotone checks that the energy never increases within one
// bound-optimiser run.
func requireInnerMonotone(t *testing.T, r *Result) {
	t.Helper()
	sum := 0
	for _, s := range r.InnerSteps {
		sum += s
	}
	require.Equal(t, len(r.Energy), sum)
	at := 0
	for _, s := range r.InnerSteps {
		for i := at + 1; i < at+s; i++ {
			require.LessOrEqual(t, r.Energy[i], r.Energy[i-1]+1e-12*math.Abs(r.Energy[i-1]), "step %d", i)
		}
		at += s
	}
}

func TestEnergyMonotoneOnEpisodes(t *testing.T) {
	g := loadGolden(t)
	for _, shot := range []int{1, 5} {
		for _, idx := range g.episodes(t, shot)[:20] {
			p, _ := g.problem(idx, shot)
			for _, m := range []Method{SLKMeans, LaplacianShot} {
				for _, lam := range []float64{0.7, 3} {
					s := DefaultSettings()
					s.Method, s.Lambda = m, &lam
					r, err := Solve(p, s, nil)
					require.NoError(t, err)
					requireInnerMonotone(t, r)
				}
			}
		}
	}
}

// Two pairs of mutually linked queries, each query leaning to the class its
// partner does not: with a large lambda the parallel update swaps the
// pairs' labels and raises the energy, so the safeguard must act.
func TestSafeguardKeepsEnergyMonotone(t *testing.T) {
	p := &Problem{
		Dim:           2,
		Support:       []float64{-1, 0, 1, 0},
		SupportLabels: []int{0, 1},
		Query:         []float64{-0.1, 5, 0.1, 5, -0.1, -5, 0.1, -5},
	}
	lam := 50.0
	s := DefaultSettings()
	s.Method, s.Lambda, s.KNN, s.Preprocess = LaplacianShot, &lam, 2, None
	r, err := Solve(p, s, nil)
	require.NoError(t, err)
	require.Greater(t, r.Safeguards, 0)
	requireInnerMonotone(t, r)
}

func TestSupportNeverChanges(t *testing.T) {
	g := loadGolden(t)
	for _, shot := range []int{1, 5} {
		for _, idx := range g.episodes(t, shot)[:10] {
			p, _ := g.problem(idx, shot)
			for _, m := range []Method{SLKMeans, KMeans} {
				s := DefaultSettings()
				s.Method = m
				md, _, _, _, err := solve(p, s, nil)
				require.NoError(t, err)
				for i, l := range p.SupportLabels {
					require.Equal(t, int32(l), md.lab[i])
					for c := range md.k {
						require.Equal(t, b2f(c == l), md.y[i*md.k+c])
					}
				}
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// blobs returns n points in d dims around k random centres, labels i % k.
func blobs(rng *rand.Rand, n, d, k int, spread float64) ([]float64, []int) {
	c := make([]float64, k*d)
	for i := range c {
		c[i] = rng.NormFloat64()
	}
	x, y := make([]float64, n*d), make([]int, n)
	for i := range n {
		y[i] = i % k
		for t := range d {
			x[i*d+t] = c[y[i]*d+t] + spread*rng.NormFloat64()
		}
	}
	return x, y
}

func permuteRows(x []float64, d int, perm []int) []float64 {
	out := make([]float64, len(x))
	for i, j := range perm {
		copy(out[i*d:(i+1)*d], x[j*d:(j+1)*d])
	}
	return out
}

// Permuting the support and the queries permutes the labels and the
// probability rows and changes nothing else.
func TestPermutationEquivariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d, k := 5, 4
	sx, sy := blobs(rng, 12, d, k, 0.6)
	qx, _ := blobs(rng, 60, d, k, 0.6)
	p := &Problem{Support: sx, SupportLabels: sy, Query: qx, Dim: d}
	ps, pq := rng.Perm(12), rng.Perm(60)
	pp := &Problem{Support: permuteRows(sx, d, ps), Query: permuteRows(qx, d, pq), Dim: d}
	for _, j := range ps {
		pp.SupportLabels = append(pp.SupportLabels, sy[j])
	}
	for _, m := range methods {
		s := DefaultSettings()
		s.Method = m
		r, err := Solve(p, s, nil)
		require.NoError(t, err)
		rp, err := Solve(pp, s, nil)
		require.NoError(t, err)
		for i, j := range pq {
			require.Equal(t, r.Labels[j], rp.Labels[i], "%s query %d", m, i)
			for c := range k {
				require.InDelta(t, r.Probabilities[j*k+c], rp.Probabilities[i*k+c], 1e-9)
			}
		}
		require.InDeltaSlice(t, r.Prototypes, rp.Prototypes, 1e-9)
		require.Equal(t, r.InnerSteps, rp.InnerSteps, "%s", m)
		require.Equal(t, r.Iterations, rp.Iterations)
		require.InDeltaSlice(t, r.Energy, rp.Energy, 1e-9)
	}
}

// The blocked graph equals a brute-force W_sym, across tile borders, with
// rows not a multiple of 4 and with exact ties (duplicate points).
func TestKNNGraphMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n, d, m := 301, 7, 4
	x := make([]float64, n*d)
	for i := range x {
		x[i] = math.Round(4 * rng.NormFloat64()) // integer grid: many ties
	}
	copy(x[10*d:11*d], x[200*d:201*d])
	g, ok := knnGraph(x, n, d, m, nil)
	require.True(t, ok)
	want := make([]float64, n*n)
	for p := range n {
		type cand struct {
			dd float64
			q  int
		}
		var best []cand
		for q := range n {
			if q == p {
				continue
			}
			s := 0.0
			for t := range d {
				r := x[p*d+t] - x[q*d+t]
				s += r * r
			}
			c := cand{s, q}
			at := len(best)
			for at > 0 && (c.dd < best[at-1].dd || (c.dd == best[at-1].dd && c.q < best[at-1].q)) {
				at--
			}
			best = append(best[:at], append([]cand{c}, best[at:]...)...)
			if len(best) > m {
				best = best[:m]
			}
		}
		for _, c := range best {
			want[p*n+c.q] += 0.5
			want[c.q*n+p] += 0.5
		}
	}
	got := make([]float64, n*n)
	for p := range n {
		for e := g.rowPtr[p]; e < g.rowPtr[p+1]; e++ {
			if e > g.rowPtr[p] {
				require.Less(t, g.col[e-1], g.col[e], "sorted columns")
			}
			got[p*n+int(g.col[e])] = g.val[e]
		}
	}
	require.Equal(t, want, got)
}

func TestCanceledAndTimeLimit(t *testing.T) {
	g := loadGolden(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := &ClusterProblem{Points: g.x, Dim: g.Digits.D, NumClusters: 10}
	r, err := Cluster(p, nil, &solver.Control{Context: ctx})
	require.NoError(t, err)
	require.Equal(t, solver.Canceled, r.Status)
	require.Len(t, r.Labels, g.Digits.N)

	// Interrupted before the graph is complete: the nearest-prototype answer.
	fp, _ := g.problem(g.episodes(t, 1)[0], 1)
	fr, err := Solve(fp, nil, &solver.Control{Context: ctx})
	require.NoError(t, err)
	require.Equal(t, solver.Canceled, fr.Status)
	require.Equal(t, 0, fr.Iterations)
	require.Len(t, fr.Labels, 75)

	s := DefaultClusterSettings()
	s.MaxIter = 1
	r, err = Cluster(p, s, nil)
	require.NoError(t, err)
	require.Equal(t, solver.MaxIter, r.Status)
	require.Equal(t, 1, r.Iterations)
}

func TestProgressReports(t *testing.T) {
	g := loadGolden(t)
	p, _ := g.problem(g.episodes(t, 1)[0], 1)
	var iters []int
	ctl := &solver.Control{Progress: func(pr solver.Progress) { iters = append(iters, pr.Iteration) }}
	r, err := Solve(p, nil, ctl)
	require.NoError(t, err)
	require.Len(t, iters, len(r.Energy))
	for i, it := range iters {
		require.Equal(t, i+1, it)
	}
}

func TestBadInput(t *testing.T) {
	good := func() (*Problem, *Settings) {
		return &Problem{
			Support: []float64{0, 0, 1, 1}, SupportLabels: []int{0, 1},
			Query: []float64{0.1, 0, 0.9, 1, 0.2, 0.1, 1, 0.8}, Dim: 2,
		}, DefaultSettings()
	}
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		name, field, code string
		edit              func(*Problem, *Settings)
	}{
		{"label >= K", "supportLabels", solver.CodeDomain, func(p *Problem, s *Settings) { p.NumClasses = 2; p.SupportLabels[1] = 2 }},
		{"label < 0", "supportLabels", solver.CodeDomain, func(p *Problem, s *Settings) { p.SupportLabels[0] = -1 }},
		{"class without support", "supportLabels", solver.CodeDomain, func(p *Problem, s *Settings) { p.NumClasses = 3 }},
		{"labels length", "supportLabels", solver.CodeShape, func(p *Problem, s *Settings) { p.SupportLabels = []int{0} }},
		{"support ragged", "support", solver.CodeShape, func(p *Problem, s *Settings) { p.Support = p.Support[:3] }},
		{"query ragged", "query", solver.CodeShape, func(p *Problem, s *Settings) { p.Query = append(p.Query, 1) }},
		{"support NaN", "support", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.Support[1] = math.NaN() }},
		{"query Inf", "query", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.Query[2] = math.Inf(-1) }},
		{"query huge", "query", solver.CodeDomain, func(p *Problem, s *Settings) { p.Query[2] = 1e300 }},
		{"empty query", "query", solver.CodeShape, func(p *Problem, s *Settings) { p.Query = nil }},
		{"empty support", "support", solver.CodeShape, func(p *Problem, s *Settings) { p.Support, p.SupportLabels = nil, nil }},
		{"dim 0", "dim", solver.CodeDomain, func(p *Problem, s *Settings) { p.Dim = 0 }},
		{"knn 0", "knn", solver.CodeDomain, func(p *Problem, s *Settings) { s.KNN = 0 }},
		{"knn = points", "knn", solver.CodeDomain, func(p *Problem, s *Settings) { s.KNN = 6 }},
		{"knn = queries (laplacianshot)", "knn", solver.CodeDomain, func(p *Problem, s *Settings) { s.Method = LaplacianShot; s.KNN = 4 }},
		{"method", "method", solver.CodeOption, func(p *Problem, s *Settings) { s.Method = "svm" }},
		{"preprocess", "preprocess", solver.CodeOption, func(p *Problem, s *Settings) { s.Preprocess = "zscore" }},
		{"lambda < 0", "lambda", solver.CodeDomain, func(p *Problem, s *Settings) { s.Lambda = f(-1) }},
		{"lambda NaN", "lambda", solver.CodeNotFinite, func(p *Problem, s *Settings) { s.Lambda = f(math.NaN()) }},
		{"lambda with kmeans", "lambda", solver.CodeOption, func(p *Problem, s *Settings) { s.Method = KMeans; s.Lambda = f(0.5) }},
		{"center length", "center", solver.CodeShape, func(p *Problem, s *Settings) { p.Center = []float64{1} }},
		{"center NaN", "center", solver.CodeNotFinite, func(p *Problem, s *Settings) { p.Center = []float64{1, math.NaN()} }},
		{"center without center-l2", "center", solver.CodeOption, func(p *Problem, s *Settings) { p.Center = []float64{1, 1}; s.Preprocess = L2 }},
		{"maxIter 0", "maxIter", solver.CodeDomain, func(p *Problem, s *Settings) { s.MaxIter = 0 }},
		{"maxInner 0", "maxInner", solver.CodeDomain, func(p *Problem, s *Settings) { s.MaxInner = 0 }},
		{"tol < 0", "tol", solver.CodeDomain, func(p *Problem, s *Settings) { s.Tol = -1 }},
		{"innerTol NaN", "innerTol", solver.CodeNotFinite, func(p *Problem, s *Settings) { s.InnerTol = math.NaN() }},
	}
	for _, c := range cases {
		p, s := good()
		c.edit(p, s)
		_, err := Solve(p, s, nil)
		var ie *solver.InputError
		require.True(t, errors.As(err, &ie), "%s: got %v", c.name, err)
		require.Equal(t, c.field, ie.Field, c.name)
		require.Equal(t, c.code, ie.Code, c.name)
	}
	p, s := good()
	r, err := Solve(p, s, nil)
	require.NoError(t, err)
	require.Equal(t, []int32{0, 1, 0, 1}, r.Labels)
}

func TestClusterBadInput(t *testing.T) {
	pts := []float64{0, 0, 1, 1, 2, 2, 3, 3}
	cases := []struct {
		name, field, code string
		p                 ClusterProblem
		edit              func(*ClusterSettings)
	}{
		{"numClusters > points", "numClusters", solver.CodeDomain, ClusterProblem{Points: pts, Dim: 2, NumClusters: 5}, nil},
		{"numClusters 0", "numClusters", solver.CodeDomain, ClusterProblem{Points: pts, Dim: 2}, nil},
		{"ragged", "points", solver.CodeShape, ClusterProblem{Points: pts[:7], Dim: 2, NumClusters: 2}, nil},
		{"NaN", "points", solver.CodeNotFinite, ClusterProblem{Points: []float64{0, math.NaN(), 1, 1, 2, 2}, Dim: 2, NumClusters: 2}, nil},
		{"knn >= points", "knn", solver.CodeDomain, ClusterProblem{Points: pts, Dim: 2, NumClusters: 2}, func(s *ClusterSettings) { s.KNN = 4 }},
		{"knn 0", "knn", solver.CodeDomain, ClusterProblem{Points: pts, Dim: 2, NumClusters: 2}, func(s *ClusterSettings) { s.KNN = 0 }},
		{"lambda Inf", "lambda", solver.CodeNotFinite, ClusterProblem{Points: pts, Dim: 2, NumClusters: 2}, func(s *ClusterSettings) { s.Lambda = math.Inf(1) }},
		{"restarts 0", "restarts", solver.CodeDomain, ClusterProblem{Points: pts, Dim: 2, NumClusters: 2}, func(s *ClusterSettings) { s.Restarts = 0 }},
		{"preprocess", "preprocess", solver.CodeOption, ClusterProblem{Points: pts, Dim: 2, NumClusters: 2}, func(s *ClusterSettings) { s.Preprocess = "pca" }},
	}
	for _, c := range cases {
		s := DefaultClusterSettings()
		if c.edit != nil {
			c.edit(s)
		}
		_, err := Cluster(&c.p, s, nil)
		var ie *solver.InputError
		require.True(t, errors.As(err, &ie), "%s: got %v", c.name, err)
		require.Equal(t, c.field, ie.Field, c.name)
		require.Equal(t, c.code, ie.Code, c.name)
	}
	// Fewer distinct points than clusters: seeding and empty classes must not break.
	r, err := Cluster(&ClusterProblem{Points: []float64{1, 1, 1, 1, 1, 1, 2, 2}, Dim: 2, NumClusters: 3}, nil, nil)
	require.NoError(t, err)
	require.Len(t, r.Labels, 4)
}

// expNeg agrees with math.Exp (bit for bit with the portable version used in
// wasm; within a few ulps of the amd64 assembly) on its domain.
func TestExpNeg(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		x := -750 * rng.Float64() * rng.Float64()
		want := math.Exp(x)
		got := expNeg(x)
		require.InDelta(t, want, got, 1e-15*want, "x = %v", x)
	}
	for _, x := range []float64{0, -1e-300, -1e-9, -0.5, -1, -699.9, -700, -745, -746, math.Inf(-1)} {
		require.InDelta(t, math.Exp(x), expNeg(x), 1e-15*math.Exp(x), "x = %v", x)
	}
}

// crossDots equals plain dot products for every block shape and remainder.
func TestCrossDots(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, d := range []int{1, 3, 64} {
		for na := 1; na <= 9; na++ {
			for nb := 1; nb <= 5; nb++ {
				a, b := make([]float64, na*d), make([]float64, nb*d)
				for i := range a {
					a[i] = rng.NormFloat64()
				}
				for i := range b {
					b[i] = rng.NormFloat64()
				}
				out := make([]float64, na*nb)
				crossDots(out, a, na, b, nb, d)
				for i := range na {
					for j := range nb {
						require.Equal(t, dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d]), out[i*nb+j])
					}
				}
			}
		}
	}
}
