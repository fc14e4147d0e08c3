package api

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/core/sparseot"
)

// SparseOTInput is the input of sparseOT: weights a (n) and b (m) with equal
// totals, an n x m cost, the cardinality bound k and the regularisation
// gamma, plus solver settings (see sparseot.Settings).
type SparseOTInput struct {
	A        []float64 `js:"a,required" json:"a"`
	B        []float64 `js:"b,required" json:"b"`
	Cost     Matrix    `js:"cost,required" json:"cost"`
	N        int       `js:"n" json:"n"`
	M        int       `js:"m" json:"m"`
	K        int       `js:"k,required" json:"k"`
	Gamma    float64   `js:"gamma,required" json:"gamma"`
	Sparsity string    `js:"sparsity" json:"sparsity"`
	Method   string    `js:"method" json:"method"`
	MaxIter  int       `js:"maxIter" json:"maxIter"`
	Tol      float64   `js:"tol" json:"tol"`
	Alpha0   []float64 `js:"alpha0" json:"alpha0"`
	Beta0    []float64 `js:"beta0" json:"beta0"`
	Repair   bool      `js:"repair" json:"repair"`
	History  bool      `js:"history" json:"history"`
}

// NewSparseOTInput returns the defaults: column sparsity, the semi-dual,
// maxIter 1000, tol 1e-9 (relative L1 marginal error), no repair.
func NewSparseOTInput() SparseOTInput {
	return SparseOTInput{Sparsity: string(sparseot.Column), Method: string(sparseot.SemiDual),
		MaxIter: sparseot.DefaultMaxIter, Tol: sparseot.DefaultTol}
}

// SparseOTPlan is the plan in coordinate form, grouped by the constrained
// axis: T[Rows[e]][Cols[e]] = Values[e].
type SparseOTPlan struct {
	N      int       `js:"n" json:"n"`
	M      int       `js:"m" json:"m"`
	Rows   []int32   `js:"rows" json:"rows"`
	Cols   []int32   `js:"cols" json:"cols"`
	Values []float64 `js:"values" json:"values"`
}

// SparseOTDual holds the potentials: T_ij = max(alpha_i + beta_j - C_ij, 0)/gamma
// on the plan's support.
type SparseOTDual struct {
	Alpha []float64 `js:"alpha" json:"alpha"`
	Beta  []float64 `js:"beta" json:"beta"`
}

// SparseOTMarginalError holds ||T1 - a||_1 (Source) and ||T^T1 - b||_1 (Target).
type SparseOTMarginalError struct {
	Source float64 `js:"source" json:"source"`
	Target float64 `js:"target" json:"target"`
}

// SparseOTHistory is the per-iteration trace: the dual objective and the
// relative L1 marginal error.
type SparseOTHistory struct {
	Objective []float64 `js:"objective" json:"objective"`
	Residual  []float64 `js:"residual" json:"residual"`
}

// SparseOTResult is the output of sparseOT.
type SparseOTResult struct {
	Status        string                `js:"status" json:"status"`
	Iterations    int                   `js:"iterations" json:"iterations"`
	Evaluations   int                   `js:"evaluations" json:"evaluations"`
	Plan          SparseOTPlan          `js:"plan" json:"plan"`
	TransportCost float64               `js:"transportCost" json:"transportCost"`
	Objective     float64               `js:"objective" json:"objective"`
	Dual          SparseOTDual          `js:"dual" json:"dual"`
	MarginalError SparseOTMarginalError `js:"marginalError" json:"marginalError"`
	MaxNonzeros   int                   `js:"maxNonzeros" json:"maxNonzeros"`
	Repaired      *bool                 `js:"repaired,omitempty" json:"repaired,omitempty"`
	History       *SparseOTHistory      `js:"history,omitempty" json:"history,omitempty"`
}

// SparseOT solves sparsity-constrained optimal transport with sparseot.Solve:
// minimise <T, C> + (gamma/2)||T||_F^2 over plans with marginals a, b and at
// most k nonzeros per column (sparsity "row": per row).
func SparseOT(in *SparseOTInput, ctl *solver.Control) (*SparseOTResult, error) {
	n, m := len(in.A), len(in.B)
	if in.N < 0 || in.M < 0 {
		field := "n"
		if in.N >= 0 {
			field = "m"
		}
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, field, "must be a positive integer")
	}
	if in.N > 0 {
		if err := solver.CheckLen("a", in.A, in.N); err != nil {
			return nil, err
		}
	}
	if in.M > 0 {
		if err := solver.CheckLen("b", in.B, in.M); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return nil, solver.Errorf(solver.TypeErr, solver.CodeShape, "a", "must not be empty")
	}
	if m == 0 {
		return nil, solver.Errorf(solver.TypeErr, solver.CodeShape, "b", "must not be empty")
	}
	if err := in.Cost.Shape("cost", n, m); err != nil {
		return nil, err
	}
	s := sparseot.Settings{
		Method: sparseot.Method(in.Method), Sparsity: sparseot.Sparsity(in.Sparsity),
		MaxIter: in.MaxIter, Tol: in.Tol, Alpha0: in.Alpha0, Beta0: in.Beta0,
		Repair: in.Repair, Control: ctl,
	}
	if in.MaxIter == 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "maxIter", "is 0; must be >= 1")
	}
	if in.Tol == 0 {
		s.Tol = math.SmallestNonzeroFloat64 // tol: 0 runs until maxIter or a stall
	}
	var hist *SparseOTHistory
	if in.History {
		hist = &SparseOTHistory{}
		if ctl == nil {
			ctl = &solver.Control{}
		}
		report := ctl.Progress
		ctl.Progress = func(p solver.Progress) {
			hist.Objective = append(hist.Objective, p.Objective)
			hist.Residual = append(hist.Residual, p.Residual)
			if report != nil {
				report(p)
			}
		}
		s.Control = ctl
	}
	res, err := sparseot.Solve(sparseot.Problem{A: in.A, B: in.B, Cost: in.Cost.Data, K: in.K, Gamma: in.Gamma}, s)
	if err != nil {
		return nil, err
	}
	out := &SparseOTResult{
		Status: res.Status.String(), Iterations: res.Iterations, Evaluations: res.Evaluations,
		Plan:          SparseOTPlan{N: n, M: m, Rows: res.Plan.Rows, Cols: res.Plan.Cols, Values: res.Plan.Values},
		TransportCost: res.TransportCost, Objective: res.Objective,
		Dual:          SparseOTDual{Alpha: res.Alpha, Beta: res.Beta},
		MarginalError: SparseOTMarginalError{Source: res.SourceError, Target: res.TargetError},
		MaxNonzeros:   res.MaxNonzeros, History: hist,
	}
	if in.Repair {
		out.Repaired = &res.Repaired
	}
	return out, nil
}
