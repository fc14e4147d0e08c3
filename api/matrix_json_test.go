//go:build !js

package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatrixJSON(t *testing.T) {
	var m Matrix
	require.NoError(t, json.Unmarshal([]byte(`[[1,2],[3,4],[5,6]]`), &m))
	assert.Equal(t, Matrix{Data: []float64{1, 2, 3, 4, 5, 6}, Rows: 3, Cols: 2}, m)
	require.NoError(t, json.Unmarshal([]byte(`[1,2,3]`), &m))
	assert.Equal(t, Matrix{Data: []float64{1, 2, 3}}, m)
	assert.Error(t, json.Unmarshal([]byte(`[[1,2],[3]]`), &m))
}
