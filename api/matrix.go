package api

import "github.com/optwasm/optwasm/core/solver"

// Matrix is a dense row-major matrix from the caller, given either as an
// array of rows (Rows and Cols set when decoded) or as a flat array of
// numbers (Rows = Cols = 0 until Shape is called with the dimensions).
type Matrix struct {
	Data       []float64
	Rows, Cols int
}

// Present reports whether the field was given at all.
func (m *Matrix) Present() bool { return m.Data != nil || m.Rows > 0 }

// Shape fixes the dimensions of m. rows or cols may be 0 meaning "unknown";
// for a flat matrix the unknown one is inferred from len(Data). Dimensions
// that disagree with the data are an ERR_SHAPE error naming field.
func (m *Matrix) Shape(field string, rows, cols int) error {
	shapeErr := func(format string, args ...any) error {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, field, format, args...)
	}
	if !m.Present() {
		return solver.Errorf(solver.TypeErr, solver.CodeMissing, field, "is required")
	}
	if m.Rows > 0 {
		if (rows > 0 && rows != m.Rows) || (cols > 0 && cols != m.Cols) {
			return shapeErr("is %d x %d, want %d x %d", m.Rows, m.Cols, rows, cols)
		}
		return nil
	}
	n := len(m.Data)
	switch {
	case rows > 0 && cols > 0:
		if rows*cols != n {
			return shapeErr("has %d entries, want %d x %d = %d", n, rows, cols, rows*cols)
		}
	case rows > 0:
		if n%rows != 0 {
			return shapeErr("has %d entries, not a multiple of %d rows", n, rows)
		}
		cols = n / rows
	case cols > 0:
		if n%cols != 0 {
			return shapeErr("has %d entries, not a multiple of %d columns", n, cols)
		}
		rows = n / cols
	default:
		return shapeErr("is a flat array; give its dimensions or pass an array of rows")
	}
	if n == 0 {
		return shapeErr("is empty")
	}
	m.Rows, m.Cols = rows, cols
	return nil
}

// FromRows builds a Matrix from rows, which must all have the same length.
func FromRows(field string, rows [][]float64) (Matrix, error) {
	if len(rows) == 0 {
		return Matrix{Data: []float64{}}, nil
	}
	cols := len(rows[0])
	data := make([]float64, 0, len(rows)*cols)
	for i, r := range rows {
		if len(r) != cols {
			return Matrix{}, solver.Errorf(solver.TypeErr, solver.CodeShape, field, "row %d has %d entries, row 0 has %d", i, len(r), cols)
		}
		data = append(data, r...)
	}
	return Matrix{Data: data, Rows: len(rows), Cols: cols}, nil
}
