package vec

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKernelsMatchPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for n := 0; n < 23; n++ {
		a, b := make([]float64, n), make([]float64, n+2)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		var want float64
		for i := range a {
			want += a[i] * b[i]
		}
		assert.InDelta(t, want, Dot(a, b), 1e-12, "n=%d", n)
		assert.InDelta(t, math.Sqrt(Dot(a, a)), Norm(a), 0)

		y := append([]float64(nil), b...)
		Axpy(y, 0.5, a)
		for i := range b {
			w := b[i]
			if i < n {
				w += 0.5 * a[i]
			}
			assert.Equal(t, w, y[i], "n=%d i=%d", n, i)
		}
		Scale(y, 2)
		assert.InDelta(t, 2*(b[0]+0.5*valueOr(a, 0)), y[0], 1e-15)
	}
}

func valueOr(a []float64, i int) float64 {
	if i < len(a) {
		return a[i]
	}
	return 0
}
