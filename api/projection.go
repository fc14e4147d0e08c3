package api

import (
	"github.com/optwasm/optwasm/core/simplex"
	"github.com/optwasm/optwasm/core/solver"
)

// ProjectionInput is the input of sparseSimplexProjection.
type ProjectionInput struct {
	V []float64 `js:"v,required" json:"v"`
	K int       `js:"k,required" json:"k"`
	Z float64   `js:"z" json:"z"`
}

// NewProjectionInput returns the defaults: z = 1.
func NewProjectionInput() ProjectionInput { return ProjectionInput{Z: 1} }

// ProjectionResult is the output of sparseSimplexProjection.
type ProjectionResult struct {
	X       []float64 `js:"x" json:"x"`
	Support []int32   `js:"support" json:"support"`
}

// Projection computes x = argmin ||x - v|| over {x >= 0, sum x = z,
// ||x||_0 <= k} (simplex.Projector.Project) after validating the input.
func Projection(in *ProjectionInput, _ *solver.Control) (*ProjectionResult, error) {
	if len(in.V) == 0 {
		return nil, solver.Errorf(solver.TypeErr, solver.CodeShape, "v", "must not be empty")
	}
	if err := solver.CheckFinite("v", in.V); err != nil {
		return nil, err
	}
	if in.K < 1 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "k", "must be >= 1, got %d", in.K)
	}
	if !(in.Z > 0) {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "z", "must be > 0, got %v", in.Z)
	}
	x := make([]float64, len(in.V))
	var p simplex.Projector
	supp := p.Project(x, in.V, in.K, in.Z)
	out := &ProjectionResult{X: x, Support: make([]int32, len(supp))}
	for i, s := range supp {
		out.Support[i] = int32(s)
	}
	return out, nil
}
