// Package solver holds what every optwasm solver shares: how a solve ended
// (Status), the limits and hooks a caller sets (Control), and the error type
// that reports bad input (InputError). It knows nothing of JavaScript.
package solver

import (
	"context"
	"math"
	"strconv"
	"time"
)

// Status says how an iterative solve ended.
type Status int

const (
	// Converged means the solver's stopping test (its tolerance) was met.
	Converged Status = iota
	// MaxIter means the iteration (or epoch) budget ran out first.
	MaxIter
	// TimeLimit means Control.TimeLimit ran out first.
	TimeLimit
	// Canceled means Control.Context was canceled.
	Canceled
)

// String returns the name used by the JavaScript API:
// "converged", "max_iter", "time_limit" or "canceled".
func (s Status) String() string {
	switch s {
	case Converged:
		return "converged"
	case MaxIter:
		return "max_iter"
	case TimeLimit:
		return "time_limit"
	case Canceled:
		return "canceled"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Progress is one report from a running solver. Objective and Residual are NaN
// when the solver has no such figure.
type Progress struct {
	Iteration int
	Objective float64
	Residual  float64
}

// Control carries the limits and hooks common to all solvers. The zero value
// means: no time limit, no progress reports, never canceled.
type Control struct {
	// Context, when non-nil, cancels the solve between iterations.
	Context context.Context
	// TimeLimit, when positive, stops the solve with status TimeLimit once
	// that much wall time has passed since Start.
	TimeLimit time.Duration
	// Progress, when non-nil, is called once per iteration. Rate limiting is
	// the caller's business (the JS bridge throttles).
	Progress func(Progress)

	start time.Time
}

// Start records the start time; call it once before the first iteration.
func (c *Control) Start() { c.start = time.Now() }

// Elapsed returns the wall time since Start.
func (c *Control) Elapsed() time.Duration { return time.Since(c.start) }

// Interrupted reports whether the solve must stop now, and with which status
// (TimeLimit or Canceled). Call it once per iteration; it is cheap.
func (c *Control) Interrupted() (Status, bool) {
	if c == nil {
		return Converged, false
	}
	if c.Context != nil && c.Context.Err() != nil {
		return Canceled, true
	}
	if c.TimeLimit > 0 && time.Since(c.start) >= c.TimeLimit {
		return TimeLimit, true
	}
	return Converged, false
}

// Report sends a progress report if a Progress hook is set. Pass math.NaN()
// for figures the solver does not have.
func (c *Control) Report(iter int, objective, residual float64) {
	if c != nil && c.Progress != nil {
		c.Progress(Progress{Iteration: iter, Objective: objective, Residual: residual})
	}
}

// NoFigure is the value to pass to Report for a figure a solver lacks.
var NoFigure = math.NaN()
