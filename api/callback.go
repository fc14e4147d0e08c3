package api

// VectorFunc is a vector function supplied by the caller, such as halpern's
// `operator` problem `apply(z)`: given z it returns F(z). In the wasm build
// it wraps a JS function (z arrives as a Float64Array; any array-like of
// numbers may come back); an exception in it or a result that is not an
// array of numbers is returned as an ERR_CALLBACK error.
type VectorFunc func(z []float64) ([]float64, error)
