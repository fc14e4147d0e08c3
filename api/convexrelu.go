package api

import (
	"math"

	"github.com/optwasm/optwasm/core/convexrelu"
	"github.com/optwasm/optwasm/core/solver"
)

// ConvexReLUAdversarial is convexReLU's `adversarial`: robust training
// against l-infinity perturbations of radius Epsilon (Norm must be "linf").
type ConvexReLUAdversarial struct {
	Epsilon float64 `js:"epsilon,required" json:"epsilon"`
	Norm    string  `js:"norm" json:"norm"`
}

// ConvexReLUInput is the input of convexReLU (see convexrelu.Problem and
// convexrelu.Settings). NumPatterns -1 means "not given".
type ConvexReLUInput struct {
	X           Matrix                 `js:"X,required" json:"X"`
	Y           []float64              `js:"y,required" json:"y"`
	N           int                    `js:"n" json:"n"`
	D           int                    `js:"d" json:"d"`
	Loss        string                 `js:"loss" json:"loss"`
	Beta        float64                `js:"beta,required" json:"beta"`
	NumPatterns int                    `js:"numPatterns" json:"numPatterns"`
	Gates       Matrix                 `js:"gates" json:"gates"`
	Seed        int                    `js:"seed" json:"seed"`
	Rho         float64                `js:"rho" json:"rho"`
	Adaptive    bool                   `js:"adaptive" json:"adaptive"`
	Formulation string                 `js:"formulation" json:"formulation"`
	MaxIter     int                    `js:"maxIter" json:"maxIter"`
	Tol         float64                `js:"tol" json:"tol"`
	Bias        bool                   `js:"bias" json:"bias"`
	Adversarial *ConvexReLUAdversarial `js:"adversarial" json:"adversarial"`
	History     bool                   `js:"history" json:"history"`
}

// NewConvexReLUInput returns the defaults: squared loss, exact formulation,
// no bias, seed 0, rho from beta, maxIter 2000, tol 1e-4.
func NewConvexReLUInput() ConvexReLUInput {
	return ConvexReLUInput{Loss: convexrelu.LossSquared, Formulation: convexrelu.Exact, NumPatterns: -1,
		MaxIter: convexrelu.DefaultMaxIter, Tol: convexrelu.DefaultTol}
}

// ConvexReLUModel is a two-layer ReLU network
// x -> sum_j outputWeights_j max(0, x . weights_j + bias_j).
type ConvexReLUModel struct {
	InputDim      int       `js:"inputDim,required" json:"inputDim"`
	Hidden        int       `js:"hidden,required" json:"hidden"`
	Weights       []float64 `js:"weights,required" json:"weights"`
	OutputWeights []float64 `js:"outputWeights,required" json:"outputWeights"`
	Bias          []float64 `js:"bias,omitempty" json:"bias,omitempty"`
}

// ConvexReLUHistory is the per-iteration trace.
type ConvexReLUHistory struct {
	Objective []float64 `js:"objective" json:"objective"`
	Primal    []float64 `js:"primal" json:"primal"`
	Dual      []float64 `js:"dual" json:"dual"`
}

// ConvexReLUResult is the output of convexReLU. Patterns is numPatterns x n
// (0/1), Gates numPatterns x width and V, W numPatterns x width (width = d,
// +1 with bias).
type ConvexReLUResult struct {
	Status              string             `js:"status" json:"status"`
	Iterations          int                `js:"iterations" json:"iterations"`
	Model               ConvexReLUModel    `js:"model" json:"model"`
	Objective           float64            `js:"objective" json:"objective"`
	NetworkObjective    float64            `js:"networkObjective" json:"networkObjective"`
	LowerBound          *float64           `js:"lowerBound,omitempty" json:"lowerBound,omitempty"`
	ConstraintViolation float64            `js:"constraintViolation" json:"constraintViolation"`
	TrainAccuracy       *float64           `js:"trainAccuracy,omitempty" json:"trainAccuracy,omitempty"`
	NumPatterns         int                `js:"numPatterns" json:"numPatterns"`
	Patterns            []float64          `js:"patterns" json:"patterns"`
	KeptGates           []int32            `js:"keptGates" json:"keptGates"`
	Gates               []float64          `js:"gates" json:"gates"`
	V                   []float64          `js:"v" json:"v"`
	W                   []float64          `js:"w" json:"w"`
	PrimalResidual      float64            `js:"primalResidual" json:"primalResidual"`
	DualResidual        float64            `js:"dualResidual" json:"dualResidual"`
	Rho                 float64            `js:"rho" json:"rho"`
	Factorisations      int                `js:"factorisations" json:"factorisations"`
	Woodbury            bool               `js:"woodbury" json:"woodbury"`
	History             *ConvexReLUHistory `js:"history,omitempty" json:"history,omitempty"`
}

// ConvexReLU trains a two-layer ReLU network by the convex program over
// sampled activation patterns (convexrelu.Solve).
func ConvexReLU(in *ConvexReLUInput, ctl *solver.Control) (*ConvexReLUResult, error) {
	if in.N < 0 || in.D < 0 {
		field := "n"
		if in.N >= 0 {
			field = "d"
		}
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, field, "must be a positive integer")
	}
	if err := in.X.Shape("X", in.N, in.D); err != nil {
		return nil, err
	}
	p := &convexrelu.Problem{X: in.X.Data, N: in.X.Rows, D: in.X.Cols, Y: in.Y, Loss: in.Loss,
		Beta: in.Beta, NumPatterns: in.NumPatterns, Seed: uint64(in.Seed), Bias: in.Bias,
		Formulation: in.Formulation}
	if in.Seed < 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "seed", "is %d; must be a non-negative integer", in.Seed)
	}
	if in.Gates.Present() {
		if in.Gates.Rows == 0 { // flat: the width follows from X
			w := p.D
			if p.Bias && len(in.Gates.Data)%(p.D+1) == 0 {
				w = p.D + 1
			}
			if err := in.Gates.Shape("gates", 0, w); err != nil {
				return nil, err
			}
		}
		p.Gates, p.GateRows = in.Gates.Data, in.Gates.Rows
		if in.NumPatterns == -1 {
			p.NumPatterns = 0
		}
	} else if in.NumPatterns == -1 {
		return nil, solver.Errorf(solver.TypeErr, solver.CodeMissing, "numPatterns", "is required when gates are not given")
	}
	if a := in.Adversarial; a != nil {
		if a.Norm != "" && a.Norm != "linf" {
			return nil, solver.Errorf(solver.RangeErr, solver.CodeOption, "adversarial.norm", "unknown norm %q (only \"linf\")", a.Norm)
		}
		p.Adversarial = &convexrelu.Adversarial{Epsilon: a.Epsilon}
	}
	if in.MaxIter < 1 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxIter", "is %d; must be >= 1", in.MaxIter)
	}
	s := &convexrelu.Settings{Rho: in.Rho, Adaptive: in.Adaptive, MaxIter: in.MaxIter, Tol: in.Tol, History: in.History}
	if s.Tol == 0 {
		s.Tol = math.SmallestNonzeroFloat64 // tol: 0 runs the whole budget; core reads 0 as "default"
	}
	if ctl != nil {
		s.Control = *ctl
	}
	res, err := convexrelu.Solve(p, s)
	if err != nil {
		return nil, err
	}
	m := res.Model
	out := &ConvexReLUResult{
		Status: res.Status.String(), Iterations: res.Iterations,
		Model: ConvexReLUModel{InputDim: m.InputDim, Hidden: m.Hidden, Weights: nonNil(m.Weights),
			OutputWeights: nonNil(m.OutputWeights), Bias: m.Bias},
		Objective: res.Objective, NetworkObjective: res.NetworkObjective,
		ConstraintViolation: res.ConstraintViolation, NumPatterns: res.P, Patterns: res.Patterns,
		Gates: res.Gates, V: res.V, W: res.W, PrimalResidual: res.Primal, DualResidual: res.Dual,
		Rho: res.Rho, Factorisations: res.Factorisations, Woodbury: res.Woodbury,
	}
	out.KeptGates = make([]int32, len(res.KeptGates))
	for i, g := range res.KeptGates {
		out.KeptGates[i] = int32(g)
	}
	if lb := res.LowerBound; !math.IsNaN(lb) {
		out.LowerBound = &lb
	}
	if acc := res.TrainAccuracy; !math.IsNaN(acc) {
		out.TrainAccuracy = &acc
	}
	if in.History {
		out.History = &ConvexReLUHistory{Objective: res.History.Objective, Primal: res.History.Primal, Dual: res.History.Dual}
	}
	return out, nil
}

func nonNil(v []float64) []float64 {
	if v == nil {
		return []float64{}
	}
	return v
}

// PredictReLUInput is the input of predictReLU(model, X).
type PredictReLUInput struct {
	Model ConvexReLUModel `js:"model,required" json:"model"`
	X     Matrix          `js:"X,required" json:"X"`
}

// NewPredictReLUInput returns an empty input (both fields are required).
func NewPredictReLUInput() PredictReLUInput { return PredictReLUInput{} }

// PredictReLU returns sum_j alpha_j max(0, x . u_j + c_j) for every row x of X.
func PredictReLU(in *PredictReLUInput, _ *solver.Control) ([]float64, error) {
	mm := in.Model
	if mm.InputDim < 1 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "model.inputDim", "is %d; must be >= 1", mm.InputDim)
	}
	if mm.Hidden < 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "model.hidden", "is %d; must be >= 0", mm.Hidden)
	}
	if err := in.X.Shape("X", 0, mm.InputDim); err != nil {
		return nil, err
	}
	out := make([]float64, in.X.Rows)
	m := &convexrelu.Model{InputDim: mm.InputDim, Hidden: mm.Hidden, Weights: mm.Weights,
		OutputWeights: mm.OutputWeights, Bias: mm.Bias}
	if err := convexrelu.Predict(out, m, in.X.Data, in.X.Rows); err != nil {
		return nil, err
	}
	return out, nil
}
