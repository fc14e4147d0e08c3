//go:build js && wasm

package jsapi

import (
	"syscall/js"

	"github.com/optwasm/optwasm/core/simplex"
	"github.com/optwasm/optwasm/core/solver"
)

func init() { register("sparseSimplexProjection", sparseSimplexProjection) }

type projectionInput struct {
	V []float64 `js:"v,required"`
	K int       `js:"k,required"`
	Z float64   `js:"z"`
}

type projectionResult struct {
	X       []float64 `js:"x"`
	Support []int32   `js:"support"`
}

// sparseSimplexProjection binds simplex.Projector.Project:
// x = argmin ||x - v|| over {x >= 0, sum x = z, ||x||_0 <= k}.
func sparseSimplexProjection(v js.Value, _ *solver.Control) (any, error) {
	in := projectionInput{Z: 1}
	if err := Decode(v, &in); err != nil {
		return nil, err
	}
	if len(in.V) == 0 {
		return nil, solver.Errorf(solver.TypeErr, solver.CodeShape, "v", "must not be empty")
	}
	if err := solver.CheckFinite("v", in.V); err != nil {
		return nil, err
	}
	if in.K < 1 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "k", "must be >= 1, got %d", in.K)
	}
	if in.Z <= 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "z", "must be > 0, got %v", in.Z)
	}
	x := make([]float64, len(in.V))
	var p simplex.Projector
	supp := p.Project(x, in.V, in.K, in.Z)
	out := projectionResult{X: x, Support: make([]int32, len(supp))}
	for i, s := range supp {
		out.Support[i] = int32(s)
	}
	return out, nil
}
