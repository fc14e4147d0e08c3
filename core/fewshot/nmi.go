package fewshot

import "math"

// NMI returns the normalised mutual information of two labellings of the
// same points, with the arithmetic-mean normaliser (scikit-learn's default):
//
//	NMI(a, b) = I(a; b) / ((H(a) + H(b)) / 2),
//
// with natural-log entropies of the empirical label distributions. As in
// scikit-learn, two labellings that each put all points in one cluster
// score 1, and I = 0 scores 0. Label values are arbitrary. It returns NaN
// if the lengths differ or are zero.
func NMI(a, b []int32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return math.NaN()
	}
	n := float64(len(a))
	ia, ib := index(a), index(b)
	ka, kb := 0, 0
	for _, v := range ia {
		ka = max(ka, v+1)
	}
	for _, v := range ib {
		kb = max(kb, v+1)
	}
	if ka == kb && ka <= 1 {
		return 1
	}
	joint := make([]float64, ka*kb)
	ca, cb := make([]float64, ka), make([]float64, kb)
	for i := range ia {
		joint[ia[i]*kb+ib[i]]++
		ca[ia[i]]++
		cb[ib[i]]++
	}
	mi := 0.0
	for u := range ka {
		for v := range kb {
			if c := joint[u*kb+v]; c > 0 {
				mi += c / n * math.Log(c*n/(ca[u]*cb[v]))
			}
		}
	}
	if mi <= 0 {
		return 0
	}
	return mi / ((entropy(ca, n) + entropy(cb, n)) / 2)
}

// index maps labels to 0..m-1 in order of first appearance.
func index(a []int32) []int {
	ids := make(map[int32]int)
	out := make([]int, len(a))
	for i, v := range a {
		id, ok := ids[v]
		if !ok {
			id = len(ids)
			ids[v] = id
		}
		out[i] = id
	}
	return out
}

func entropy(counts []float64, n float64) float64 {
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			h -= c / n * math.Log(c/n)
		}
	}
	return h
}
