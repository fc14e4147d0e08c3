package api

import (
	"math"

	"github.com/optwasm/optwasm/core/halpern"
	"github.com/optwasm/optwasm/core/solver"
)

// HalpernProblem is halpern's `problem`: a tagged union on Type.
//   - "matrixGame": A (Rows x Cols): min over x in Δ_rows, max over y in
//     Δ_cols of x^T A y.
//   - "affine": F(z) = M z + q, M monotone, over the box [Lower, Upper]
//     (absent bounds: unbounded).
//   - "operator": a caller's monotone F on R^Dim, Apply(z) = F(z), over the box.
type HalpernProblem struct {
	Type  string     `js:"type,required" json:"type"`
	A     Matrix     `js:"A" json:"A"`
	Rows  int        `js:"rows" json:"rows"`
	Cols  int        `js:"cols" json:"cols"`
	M     Matrix     `js:"M" json:"M"`
	Q     []float64  `js:"q" json:"q"`
	Lower []float64  `js:"lower" json:"lower"`
	Upper []float64  `js:"upper" json:"upper"`
	Dim   int        `js:"dim" json:"dim"`
	Apply VectorFunc `js:"apply" json:"-"`
}

// HalpernInput is the input of halpern.
type HalpernInput struct {
	Problem   HalpernProblem `js:"problem,required" json:"problem"`
	Method    string         `js:"method" json:"method"`
	MaxEpochs float64        `js:"maxEpochs" json:"maxEpochs"`
	Tol       float64        `js:"tol" json:"tol"`
	StepSize  *float64       `js:"stepSize" json:"stepSize"`
	BatchSize *int           `js:"batchSize" json:"batchSize"`
	Seed      int            `js:"seed" json:"seed"`
	Restart   bool           `js:"restart" json:"restart"`
	History   bool           `js:"history" json:"history"`
}

// NewHalpernInput returns the defaults: method "auto", maxEpochs 1000,
// tol 1e-6, seed 0, no restarts.
func NewHalpernInput() HalpernInput {
	return HalpernInput{Method: halpern.MethodAuto, MaxEpochs: halpern.DefaultMaxEpochs, Tol: halpern.DefaultTol}
}

// HalpernHistory is the residual trace: Residual[k] after OracleCalls[k] calls.
type HalpernHistory struct {
	OracleCalls []float64 `js:"oracleCalls" json:"oracleCalls"`
	Residual    []float64 `js:"residual" json:"residual"`
}

// HalpernResult is the output of halpern. Games return X and Y (and Gap,
// Value); other problems return Z.
type HalpernResult struct {
	Status      string          `js:"status" json:"status"`
	Iterations  int             `js:"iterations" json:"iterations"`
	Method      string          `js:"method" json:"method"`
	X           []float64       `js:"x,omitempty" json:"x,omitempty"`
	Y           []float64       `js:"y,omitempty" json:"y,omitempty"`
	Z           []float64       `js:"z,omitempty" json:"z,omitempty"`
	Residual    float64         `js:"residual" json:"residual"`
	Gap         *float64        `js:"gap,omitempty" json:"gap,omitempty"`
	Value       *float64        `js:"value,omitempty" json:"value,omitempty"`
	OracleCalls float64         `js:"oracleCalls" json:"oracleCalls"`
	Epochs      float64         `js:"epochs" json:"epochs"`
	StepSize    float64         `js:"stepSize" json:"stepSize"`
	BatchSize   int             `js:"batchSize,omitempty" json:"batchSize,omitempty"`
	Restarts    int             `js:"restarts" json:"restarts"`
	History     *HalpernHistory `js:"history,omitempty" json:"history,omitempty"`
}

// Halpern solves the monotone inclusion of in.Problem with halpern.Solve.
func Halpern(in *HalpernInput, ctl *solver.Control) (*HalpernResult, error) {
	p, err := halpernProblem(&in.Problem)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(in.MaxEpochs) || math.IsInf(in.MaxEpochs, 0) {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeNotFinite, "maxEpochs", "is %v; must be a finite number", in.MaxEpochs)
	}
	if in.MaxEpochs <= 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxEpochs", "is %v; must be positive", in.MaxEpochs)
	}
	if in.Seed < 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "seed", "is %d; must be a non-negative integer", in.Seed)
	}
	s := &halpern.Settings{Method: in.Method, MaxEpochs: in.MaxEpochs, Tol: in.Tol,
		Seed: uint64(in.Seed), Restart: in.Restart, History: in.History}
	if s.Tol == 0 {
		// tol: 0 asks for the whole budget; core reads 0 as "default".
		s.Tol = math.SmallestNonzeroFloat64
	}
	if in.StepSize != nil {
		if !(*in.StepSize > 0) && !math.IsNaN(*in.StepSize) {
			return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "stepSize", "is %v; must be positive", *in.StepSize)
		}
		s.StepSize = *in.StepSize
	}
	if in.BatchSize != nil {
		if *in.BatchSize < 1 {
			return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "batchSize", "is %d; must be at least 1", *in.BatchSize)
		}
		s.BatchSize = *in.BatchSize
	}
	if ctl != nil {
		s.Control = *ctl
	}
	res, err := halpern.Solve(p, s)
	if err != nil {
		return nil, err
	}
	out := &HalpernResult{
		Status: res.Status.String(), Iterations: res.Iterations, Method: res.Method,
		Residual: res.Residual, OracleCalls: float64(res.OracleCalls), Epochs: res.Epochs,
		StepSize: res.StepSize, BatchSize: res.BatchSize, Restarts: res.Restarts,
	}
	if p.Game != nil {
		out.X, out.Y = res.X, res.Y
		gap, value := res.Gap, res.Value
		out.Gap, out.Value = &gap, &value
	} else {
		out.Z = res.Z
	}
	if in.History {
		out.History = &HalpernHistory{OracleCalls: res.History.OracleCalls, Residual: res.History.Residual}
	}
	return out, nil
}

// halpernProblem converts the tagged union, rejecting fields that do not
// belong to the problem's type.
func halpernProblem(hp *HalpernProblem) (*halpern.Problem, error) {
	given := map[string]bool{
		"A": hp.A.Present(), "rows": hp.Rows != 0, "cols": hp.Cols != 0,
		"M": hp.M.Present(), "q": hp.Q != nil, "lower": hp.Lower != nil,
		"upper": hp.Upper != nil, "dim": hp.Dim != 0, "apply": hp.Apply != nil,
	}
	var allowed []string
	switch hp.Type {
	case "matrixGame":
		allowed = []string{"A", "rows", "cols"}
	case "affine":
		allowed = []string{"M", "q", "lower", "upper"}
	case "operator":
		allowed = []string{"dim", "apply", "lower", "upper"}
	default:
		return nil, solver.Errorf(solver.RangeErr, solver.CodeOption, "problem.type", "unknown problem type %q; want matrixGame, affine or operator", hp.Type)
	}
	ok := map[string]bool{}
	for _, f := range allowed {
		ok[f] = true
	}
	for _, f := range []string{"A", "rows", "cols", "M", "q", "lower", "upper", "dim", "apply"} {
		if given[f] && !ok[f] {
			return nil, solver.Errorf(solver.TypeErr, solver.CodeOption, "problem."+f, "is not a field of a %s problem", hp.Type)
		}
	}
	switch hp.Type {
	case "matrixGame":
		if hp.Rows < 0 || hp.Cols < 0 {
			return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "problem.rows", "rows and cols must be positive")
		}
		if err := hp.A.Shape("problem.A", hp.Rows, hp.Cols); err != nil {
			return nil, err
		}
		return &halpern.Problem{Game: &halpern.Game{A: hp.A.Data, Rows: hp.A.Rows, Cols: hp.A.Cols}}, nil
	case "affine":
		if hp.Q == nil {
			return nil, solver.Errorf(solver.TypeErr, solver.CodeMissing, "problem.q", "is required")
		}
		n := len(hp.Q)
		if err := hp.M.Shape("problem.M", n, n); err != nil {
			return nil, err
		}
		return &halpern.Problem{Affine: &halpern.Affine{M: hp.M.Data, Q: hp.Q, Lower: hp.Lower, Upper: hp.Upper}}, nil
	default:
		if hp.Apply == nil {
			return nil, solver.Errorf(solver.TypeErr, solver.CodeMissing, "problem.apply", "is required")
		}
		f := hp.Apply
		return &halpern.Problem{Operator: &halpern.Operator{Dim: hp.Dim, Lower: hp.Lower, Upper: hp.Upper,
			Apply: func(dst, z []float64) error {
				out, err := f(z)
				if err != nil {
					return err
				}
				if len(out) != len(dst) {
					return solver.Errorf(solver.TypeErr, solver.CodeCallback, "problem.apply", "returned %d values, want dim = %d", len(out), len(dst))
				}
				copy(dst, out)
				return nil
			}}}, nil
	}
}
