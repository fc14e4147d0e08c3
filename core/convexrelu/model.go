package convexrelu

import (
	"math"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/core/vec"
)

// Model is a two-layer ReLU network x -> sum_j alpha_j max(0, x . u_j + c_j).
type Model struct {
	// InputDim is the width of x; Hidden the number of hidden units.
	InputDim, Hidden int
	// Weights is Hidden x InputDim row-major (row j = u_j).
	Weights []float64
	// OutputWeights holds alpha_j.
	OutputWeights []float64
	// Bias holds the hidden biases c_j, or is nil (no bias).
	Bias []float64
}

// Recover reads the network off the convex solution: every nonzero block v_i
// gives u = v_i / sqrt(||v_i||), alpha = sqrt(||v_i||), and every nonzero
// w_i gives u = w_i / sqrt(||w_i||), alpha = -sqrt(||w_i||). Then
// alpha max(0, x.u) = +-max(0, x.v_i) and ||u||^2 = alpha^2 = ||v_i||, so the
// network's regularised loss equals the convex objective wherever the cone
// constraints hold. V and W are p x width blocks; with bias the last entry of
// each block is the hidden bias.
func Recover(v, w []float64, p, inputDim int, bias bool) *Model {
	width := inputDim
	if bias {
		width++
	}
	m := &Model{InputDim: inputDim}
	for _, blocks := range []struct {
		z    []float64
		sign float64
	}{{v, 1}, {w, -1}} {
		for i := range p {
			b := blocks.z[i*width : (i+1)*width]
			nrm := vec.Norm(b)
			if nrm == 0 {
				continue
			}
			r := math.Sqrt(nrm)
			for j := range inputDim {
				m.Weights = append(m.Weights, b[j]/r)
			}
			if bias {
				m.Bias = append(m.Bias, b[inputDim]/r)
			}
			m.OutputWeights = append(m.OutputWeights, blocks.sign*r)
			m.Hidden++
		}
	}
	if bias && m.Bias == nil {
		m.Bias = []float64{}
	}
	return m
}

// Predict sets dst_k = sum_j alpha_j max(0, x_k . u_j + c_j) for the n rows
// x_k of the n x InputDim row-major X.
func Predict(dst []float64, m *Model, x []float64, n int) error {
	if m == nil {
		return solver.Errorf(solver.TypeErr, solver.CodeMissing, "model", "is missing")
	}
	if m.InputDim < 1 || m.Hidden < 0 {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "model", "inputDim must be >= 1 and hidden >= 0")
	}
	if len(m.Weights) != m.Hidden*m.InputDim {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "model.weights", "has length %d, want hidden x inputDim = %d", len(m.Weights), m.Hidden*m.InputDim)
	}
	if err := solver.CheckLen("model.outputWeights", m.OutputWeights, m.Hidden); err != nil {
		return err
	}
	if m.Bias != nil {
		if err := solver.CheckLen("model.bias", m.Bias, m.Hidden); err != nil {
			return err
		}
	}
	if n < 0 {
		return solver.Errorf(solver.TypeErr, solver.CodeShape, "X", "has %d rows", n)
	}
	if err := solver.CheckLen("X", x, n*m.InputDim); err != nil {
		return err
	}
	if err := solver.CheckLen("output", dst, n); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    []float64
	}{{"model.weights", m.Weights}, {"model.outputWeights", m.OutputWeights}, {"model.bias", m.Bias}, {"X", x}} {
		if err := solver.CheckFinite(f.name, f.v); err != nil {
			return err
		}
	}
	d := m.InputDim
	for k := range n {
		xk := x[k*d : (k+1)*d]
		var out float64
		for j := range m.Hidden {
			var a float64
			for i, u := range m.Weights[j*d : (j+1)*d] {
				a += u * xk[i]
			}
			if m.Bias != nil {
				a += m.Bias[j]
			}
			if a > 0 {
				out += m.OutputWeights[j] * a
			}
		}
		dst[k] = out
	}
	return nil
}
