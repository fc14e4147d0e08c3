package solver

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// sprintf must agree with fmt.Sprintf on the verbs it supports.
func TestSprintfMatchesFmt(t *testing.T) {
	cases := []struct {
		format string
		args   []any
	}{
		{"entry %d is %v; all entries must be finite", []any{3, math.NaN()}},
		{"has length %d, want %d", []any{int(7), int32(-2)}},
		{"got %v and %g", []any{1e-300, 2.5}},
		{"%v %v %v", []any{math.Inf(1), math.Inf(-1), 0.1 + 0.2}},
		{"method %q unknown (%s)", []any{"eag", "x"}},
		{"%v, %v, %v", []any{true, errors.New("boom"), Converged}},
		{"100%% sure", nil},
		{"%d", []any{int64(1) << 60}},
		{"%v", []any{float32(0.1)}},
		{"no verbs", nil},
	}
	for _, c := range cases {
		assert.Equal(t, fmt.Sprintf(c.format, c.args...), sprintf(c.format, c.args...), c.format)
	}
	assert.Equal(t, "x %!d(MISSING)", sprintf("x %d"))
	assert.Equal(t, "?", Sprint(struct{}{}))
}
