//go:build js && wasm

// Package jsapi is the bridge between JavaScript and the optwasm solvers in
// core/. It converts JS values to Go structs (Decode, driven by `js:"name"`
// field tags) and Go results back to JS (Encode), moving Float64Array and
// Int32Array contents as bulk byte copies rather than one js.Value call per
// element. Each solver registers a Handler; Exports wraps every handler so
// that it returns a Promise, recovers panics and maps errors to JS Errors
// with a stable `code`.
package jsapi
