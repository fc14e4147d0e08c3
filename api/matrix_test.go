package api

import (
	"errors"
	"math"
	"testing"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func code(t *testing.T, err error) string {
	t.Helper()
	var ie *solver.InputError
	require.True(t, errors.As(err, &ie), "want an InputError, got %v", err)
	return ie.Code
}

func TestMatrixShape(t *testing.T) {
	m := Matrix{Data: make([]float64, 6)}
	require.NoError(t, m.Shape("A", 2, 0))
	assert.Equal(t, [2]int{2, 3}, [2]int{m.Rows, m.Cols})
	m = Matrix{Data: make([]float64, 6)}
	require.NoError(t, m.Shape("A", 0, 6))
	assert.Equal(t, 1, m.Rows)
	for _, dims := range [][2]int{{4, 0}, {2, 2}, {0, 0}, {0, 4}} {
		m = Matrix{Data: make([]float64, 6)}
		assert.Equal(t, solver.CodeShape, code(t, m.Shape("A", dims[0], dims[1])), "%v", dims)
	}
	r := Matrix{Data: make([]float64, 6), Rows: 2, Cols: 3}
	require.NoError(t, r.Shape("A", 2, 3))
	assert.Equal(t, solver.CodeShape, code(t, r.Shape("A", 3, 2)))
	var absent Matrix
	assert.Equal(t, solver.CodeMissing, code(t, absent.Shape("A", 1, 1)))
}

func TestProjectionValidates(t *testing.T) {
	cases := map[string]ProjectionInput{
		solver.CodeShape:     {K: 1, Z: 1},
		solver.CodeNotFinite: {V: []float64{1, math.Inf(1)}, K: 1, Z: 1},
		solver.CodeDomain:    {V: []float64{1}, K: 0, Z: 1},
	}
	for want, in := range cases {
		_, err := Projection(&in, nil)
		assert.Equal(t, want, code(t, err))
	}
	r, err := Projection(&ProjectionInput{V: []float64{1, 3}, K: 1, Z: 2}, nil)
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 2}, r.X)
	assert.Equal(t, []int32{1}, r.Support)
}
