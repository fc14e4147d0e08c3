package api

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/stretchr/testify/require"
)

// decodeHalpern decodes JSON as cmd/benchnative does, over the defaults.
func decodeHalpern(t *testing.T, s string) *HalpernInput {
	t.Helper()
	in := NewHalpernInput()
	require.NoError(t, json.Unmarshal([]byte(s), &in))
	return &in
}

func TestHalpernGame(t *testing.T) {
	in := decodeHalpern(t, `{"problem": {"type": "matrixGame", "A": [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]}, "restart": true, "tol": 1e-9, "history": true}`)
	res, err := Halpern(in, &solver.Control{})
	require.NoError(t, err)
	require.Equal(t, "converged", res.Status)
	require.Equal(t, "eag", res.Method)
	for i := 0; i < 3; i++ {
		require.InDelta(t, 1.0/3, res.X[i], 1e-8)
		require.InDelta(t, 1.0/3, res.Y[i], 1e-8)
	}
	require.InDelta(t, 0, *res.Value, 1e-9)
	require.Nil(t, res.Z)
	require.Equal(t, len(res.History.OracleCalls), len(res.History.Residual))
}

func TestHalpernTolZeroRunsTheBudget(t *testing.T) {
	in := decodeHalpern(t, `{"problem": {"type": "affine", "M": [[1, 0], [0, 1]], "q": [1, -1]}, "tol": 0, "maxEpochs": 20, "method": "eag"}`)
	res, err := Halpern(in, nil)
	require.NoError(t, err)
	require.Equal(t, "max_iter", res.Status)
	// The start costs one epoch and each EAG iteration two: 1 + 2*9 = 19 <= 20.
	require.Equal(t, 19.0, res.Epochs)
	require.Nil(t, res.Gap)
}

func TestHalpernOperatorLength(t *testing.T) {
	in := NewHalpernInput()
	in.Problem = HalpernProblem{Type: "operator", Dim: 2, Apply: func(z []float64) ([]float64, error) { return []float64{1}, nil }}
	_, err := Halpern(&in, nil)
	var ie *solver.InputError
	require.True(t, errors.As(err, &ie))
	require.Equal(t, solver.CodeCallback, ie.Code)
	require.Equal(t, "problem.apply", ie.Field)
}

func TestHalpernBadInput(t *testing.T) {
	cases := []struct{ json, field, code string }{
		{`{"problem": {"type": "matrixGame", "A": [1, 2, 3]}}`, "problem.A", solver.CodeShape},
		{`{"problem": {"type": "affine", "M": [[1, 0], [0, 1]], "q": [1, 1], "dim": 2}}`, "problem.dim", solver.CodeOption},
		{`{"problem": {"type": "affine", "M": [[1, 0], [0, 1]]}}`, "problem.q", solver.CodeMissing},
		{`{"problem": {"type": "operator", "dim": 2}}`, "problem.apply", solver.CodeMissing},
		{`{"problem": {"type": "lp"}}`, "problem.type", solver.CodeOption},
		{`{"problem": {"type": "matrixGame", "A": [[1]]}, "maxEpochs": 0}`, "maxEpochs", solver.CodeDomain},
		{`{"problem": {"type": "matrixGame", "A": [[1]]}, "stepSize": 0}`, "stepSize", solver.CodeDomain},
		{`{"problem": {"type": "matrixGame", "A": [[1]]}, "batchSize": 0}`, "batchSize", solver.CodeDomain},
		{`{"problem": {"type": "matrixGame", "A": [[1]]}, "seed": -1}`, "seed", solver.CodeDomain},
	}
	for _, c := range cases {
		in := NewHalpernInput()
		err := json.Unmarshal([]byte(c.json), &in)
		if err == nil {
			_, err = Halpern(&in, nil)
		}
		var ie *solver.InputError
		require.True(t, errors.As(err, &ie), "%s: %v", c.json, err)
		require.Equal(t, c.field, ie.Field, c.json)
		require.Equal(t, c.code, ie.Code, c.json)
	}
}
