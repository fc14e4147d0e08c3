package solver

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChecks(t *testing.T) {
	assert.NoError(t, CheckNonNegative("tol", 0))
	assert.Equal(t, CodeDomain, CheckNonNegative("tol", -1e-300).(*InputError).Code)
	assert.Equal(t, CodeNotFinite, CheckNonNegative("tol", math.NaN()).(*InputError).Code)
	assert.Equal(t, "tol: is +Inf; must be finite", CheckNonNegative("tol", math.Inf(1)).Error())
	assert.Equal(t, CodeDomain, CheckPositive("a", []float64{1, 0}).(*InputError).Code)
	assert.Equal(t, CodeShape, CheckLen("a", []float64{1}, 2).(*InputError).Code)
	assert.Equal(t, RangeErr, CheckFinite("a", []float64{math.Inf(-1)}).(*InputError).Kind)
	assert.Equal(t, "time_limit", TimeLimit.String())
}
