// Package api is the solvers as the JavaScript API sees them, in plain Go:
// for each exported function an input struct (field names in `js` and `json`
// tags, defaults from a constructor), the validation and conversion to the
// core solver's problem and settings, and a result struct. The wasm bridge
// (jsapi) decodes JS values into these structs and encodes the results; the
// native benchmark runner (cmd/benchnative) does the same from JSON, so both
// run exactly the same code path apart from the value conversion.
package api
