//go:build !js

// Kept out of the wasm build: encoding/json would add about 60 kB gzipped to
// the module, and only the native benchmark runner reads JSON.

package api

import "encoding/json"

// UnmarshalJSON reads a flat array of numbers or an array of rows.
func (m *Matrix) UnmarshalJSON(b []byte) error {
	var flat []float64
	if err := json.Unmarshal(b, &flat); err == nil {
		*m = Matrix{Data: flat}
		return nil
	}
	var rows [][]float64
	if err := json.Unmarshal(b, &rows); err != nil {
		return err
	}
	mm, err := FromRows("matrix", rows)
	*m = mm
	return err
}
