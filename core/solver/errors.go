package solver

import "math"

// ErrorKind is the JavaScript error class an InputError maps to.
type ErrorKind string

const (
	// TypeErr: the value has the wrong type or shape (JS TypeError).
	TypeErr ErrorKind = "TypeError"
	// RangeErr: the value has the right type but is outside its domain (JS RangeError).
	RangeErr ErrorKind = "RangeError"
	// InternalErr: not the caller's fault (a plain JS Error).
	InternalErr ErrorKind = "Error"
)

// Stable error codes, part of the public API.
const (
	CodeShape     = "ERR_SHAPE"      // lengths or dimensions that do not match
	CodeType      = "ERR_TYPE"       // a value of the wrong type
	CodeNotFinite = "ERR_NOT_FINITE" // NaN or ±Inf where a finite number is needed
	CodeDomain    = "ERR_DOMAIN"     // a finite value outside its allowed range
	CodeOption    = "ERR_OPTION"     // an unknown field or an unknown option value
	CodeMissing   = "ERR_MISSING"    // a required field is absent
	CodeCallback  = "ERR_CALLBACK"   // a user callback threw or returned bad values
	CodeInternal  = "ERR_INTERNAL"   // a bug in optwasm (a recovered panic)
)

// InputError reports bad input. Field names the offending input field in the
// JavaScript API's spelling (e.g. "cost" or "problem.A").
type InputError struct {
	Kind  ErrorKind
	Code  string
	Field string
	Msg   string
}

// Error returns "field: message".
func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Errorf builds an InputError. The message supports the verbs %d, %g, %s,
// %v and %q (see sprintf: the module avoids package fmt for size).
func Errorf(kind ErrorKind, code, field, format string, args ...any) *InputError {
	return &InputError{Kind: kind, Code: code, Field: field, Msg: sprintf(format, args...)}
}

// CheckFinite returns an ERR_NOT_FINITE error naming field and the first
// offending index if any entry of x is NaN or infinite.
func CheckFinite(field string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Errorf(RangeErr, CodeNotFinite, field, "entry %d is %v; all entries must be finite", i, v)
		}
	}
	return nil
}

// CheckPositive returns an error unless every entry of x is finite and > 0.
func CheckPositive(field string, x []float64) error {
	if err := CheckFinite(field, x); err != nil {
		return err
	}
	for i, v := range x {
		if v <= 0 {
			return Errorf(RangeErr, CodeDomain, field, "entry %d is %v; all entries must be positive", i, v)
		}
	}
	return nil
}

// CheckLen returns an ERR_SHAPE error unless len(x) == n.
func CheckLen(field string, x []float64, n int) error {
	if len(x) != n {
		return Errorf(TypeErr, CodeShape, field, "has length %d, want %d", len(x), n)
	}
	return nil
}

// CheckNonNegative returns an error unless v is finite and >= 0 (for
// settings such as tolerances and step parameters).
func CheckNonNegative(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Errorf(RangeErr, CodeNotFinite, field, "is %v; must be finite", v)
	}
	if v < 0 {
		return Errorf(RangeErr, CodeDomain, field, "is %v; must be >= 0", v)
	}
	return nil
}
