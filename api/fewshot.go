package api

import (
	"github.com/optwasm/optwasm/core/fewshot"
	"github.com/optwasm/optwasm/core/solver"
)

// FewShotInput is the input of fewShot.
type FewShotInput struct {
	Support       Matrix    `js:"support,required" json:"support"`
	SupportLabels []int     `js:"supportLabels,required" json:"supportLabels"`
	Query         Matrix    `js:"query,required" json:"query"`
	Dim           int       `js:"dim" json:"dim"`
	NumClasses    *int      `js:"numClasses" json:"numClasses"`
	Method        string    `js:"method" json:"method"`
	Lambda        *float64  `js:"lambda" json:"lambda"`
	KNN           int       `js:"knn" json:"knn"`
	Preprocess    string    `js:"preprocess" json:"preprocess"`
	Center        []float64 `js:"center" json:"center"`
	FewShotLimits
}

// NewFewShotInput returns the defaults of fewshot.DefaultSettings:
// 'slk-means' with its lambda, knn 3, 'center-l2', maxIter 100, tol 1e-4,
// maxInner 600, innerTol 1e-7.
func NewFewShotInput() FewShotInput {
	s := fewshot.DefaultSettings()
	return FewShotInput{Method: string(s.Method), KNN: s.KNN, Preprocess: string(s.Preprocess),
		FewShotLimits: newFewShotLimits(s.Limits)}
}

// FewShotHistory is the energy trace with, for each bound step, the outer
// iteration (from 0) it belongs to.
type FewShotHistory struct {
	Energy []float64 `js:"energy" json:"energy"`
	Outer  []float64 `js:"outer" json:"outer"`
}

// FewShotResult is the output of fewShot and cluster: Labels and the rows
// of Probabilities (len(Labels) x NumClasses) are per query (fewShot) or
// per point (cluster); Prototypes is NumClasses x Dim in the preprocessed
// feature space; Energy is E(Y) after every bound-optimiser step.
type FewShotResult struct {
	Status        string          `js:"status" json:"status"`
	Iterations    int             `js:"iterations" json:"iterations"`
	Labels        []int32         `js:"labels" json:"labels"`
	Probabilities []float64       `js:"probabilities" json:"probabilities"`
	NumClasses    int             `js:"numClasses" json:"numClasses"`
	Prototypes    []float64       `js:"prototypes" json:"prototypes"`
	Dim           int             `js:"dim" json:"dim"`
	Energy        []float64       `js:"energy" json:"energy"`
	Safeguards    int             `js:"safeguards" json:"safeguards"`
	History       *FewShotHistory `js:"history,omitempty" json:"history,omitempty"`
}

// FewShot runs transductive few-shot inference (fewshot.Solve).
func FewShot(in *FewShotInput, ctl *solver.Control) (*FewShotResult, error) {
	if err := in.Support.Shape("support", 0, in.Dim); err != nil {
		return nil, err
	}
	if err := in.Query.Shape("query", 0, in.Support.Cols); err != nil {
		return nil, err
	}
	p := &fewshot.Problem{Support: in.Support.Data, SupportLabels: in.SupportLabels,
		Query: in.Query.Data, Dim: in.Support.Cols, Center: in.Center}
	if in.NumClasses != nil {
		if *in.NumClasses < 1 {
			return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "numClasses", "is %d; must be >= 1", *in.NumClasses)
		}
		p.NumClasses = *in.NumClasses
	}
	s := &fewshot.Settings{Method: fewshot.Method(in.Method), Lambda: in.Lambda, KNN: in.KNN,
		Preprocess: fewshot.Preprocess(in.Preprocess), Limits: in.limits()}
	res, err := fewshot.Solve(p, s, ctl)
	if err != nil {
		return nil, err
	}
	return fewShotResult(res, in.History), nil
}

// ClusterInput is the input of cluster.
type ClusterInput struct {
	Points      Matrix    `js:"points,required" json:"points"`
	Dim         int       `js:"dim" json:"dim"`
	NumClusters int       `js:"numClusters,required" json:"numClusters"`
	Lambda      float64   `js:"lambda" json:"lambda"`
	KNN         int       `js:"knn" json:"knn"`
	Preprocess  string    `js:"preprocess" json:"preprocess"`
	Center      []float64 `js:"center" json:"center"`
	Seed        int       `js:"seed" json:"seed"`
	Restarts    int       `js:"restarts" json:"restarts"`
	FewShotLimits
}

// NewClusterInput returns the defaults of fewshot.DefaultClusterSettings:
// lambda 1.5, knn 3, 'center-l2', seed 0, restarts 5, maxIter 100, tol 1e-4,
// maxInner 600, innerTol 1e-7.
func NewClusterInput() ClusterInput {
	s := fewshot.DefaultClusterSettings()
	return ClusterInput{Lambda: s.Lambda, KNN: s.KNN, Preprocess: string(s.Preprocess), Restarts: s.Restarts,
		FewShotLimits: newFewShotLimits(s.Limits)}
}

// Cluster runs Laplacian-regularised K-means (fewshot.Cluster).
func Cluster(in *ClusterInput, ctl *solver.Control) (*FewShotResult, error) {
	if err := in.Points.Shape("points", 0, in.Dim); err != nil {
		return nil, err
	}
	if in.Seed < 0 {
		return nil, solver.Errorf(solver.RangeErr, solver.CodeDomain, "seed", "is %d; must be a non-negative integer", in.Seed)
	}
	p := &fewshot.ClusterProblem{Points: in.Points.Data, Dim: in.Points.Cols, NumClusters: in.NumClusters, Center: in.Center}
	s := &fewshot.ClusterSettings{Lambda: in.Lambda, KNN: in.KNN, Preprocess: fewshot.Preprocess(in.Preprocess),
		Seed: uint64(in.Seed), Restarts: in.Restarts, Limits: in.limits()}
	res, err := fewshot.Cluster(p, s, ctl)
	if err != nil {
		return nil, err
	}
	return fewShotResult(res, in.History), nil
}

// FewShotLimits are the loop limits fewShot and cluster share
// (fewshot.Limits) and the history switch.
type FewShotLimits struct {
	MaxIter  int     `js:"maxIter" json:"maxIter"`
	Tol      float64 `js:"tol" json:"tol"`
	MaxInner int     `js:"maxInner" json:"maxInner"`
	InnerTol float64 `js:"innerTol" json:"innerTol"`
	History  bool    `js:"history" json:"history"`
}

func newFewShotLimits(l fewshot.Limits) FewShotLimits {
	return FewShotLimits{MaxIter: l.MaxIter, Tol: l.Tol, MaxInner: l.MaxInner, InnerTol: l.InnerTol}
}

func (l FewShotLimits) limits() fewshot.Limits {
	return fewshot.Limits{MaxIter: l.MaxIter, Tol: l.Tol, MaxInner: l.MaxInner, InnerTol: l.InnerTol}
}

func fewShotResult(res *fewshot.Result, history bool) *FewShotResult {
	out := &FewShotResult{
		Status: res.Status.String(), Iterations: res.Iterations, Labels: res.Labels,
		Probabilities: res.Probabilities, NumClasses: res.NumClasses, Prototypes: res.Prototypes,
		Dim: res.Dim, Energy: res.Energy, Safeguards: res.Safeguards,
	}
	if history {
		h := &FewShotHistory{Energy: res.Energy, Outer: make([]float64, 0, len(res.Energy))}
		for t, s := range res.InnerSteps {
			for range s {
				h.Outer = append(h.Outer, float64(t))
			}
		}
		out.History = h
	}
	return out
}
