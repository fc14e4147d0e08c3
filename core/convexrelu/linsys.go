package convexrelu

import (
	"errors"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// denseLimit bounds the unknowns of a dense factorisation (its matrix takes
// 8 denseLimit^2 bytes).
const denseLimit = 3000

var errNotPD = errors.New("convexrelu: ADMM system matrix is not positive definite")

// linsys solves the ADMM x-step A x = rhs with a factorisation reused across
// iterations. For the paper's splitting (squared loss kept in the x-step)
//
//	A = M + F^T F / rho,  M = I + G^T G = blockdiag(K),
//
// K = I + X^T X (exact: (2D_i - I)^2 = I makes every block of G^T G equal to
// X^T X) or K = I (approximate); setRho refactorises after rho changes.
type linsys interface {
	solve(x, rhs []float64)
	setRho(rho float64) error
}

// cholesky overwrites the upper triangle of the n x n row-major a with U,
// a = U^T U (LAPACK's blocked dpotrf, from gonum), and reports whether a was
// positive definite. gonum's lapack64 is called directly: its mat package
// would add about 140 kB gzip (with fmt) to the wasm module, lapack64 adds 35 kB.
func cholesky(a []float64, n int) bool {
	_, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: a})
	return ok
}

// cholSolve overwrites b with A^{-1} b for A = U^T U (U from cholesky).
func cholSolve(u, b []float64) {
	n := len(b)
	lapack64.Potrs(blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: n, Stride: n, Data: u},
		blas64.General{Rows: n, Cols: 1, Stride: 1, Data: b})
}

// woodbury solves with A^{-1} = M^{-1} - M^{-1} F^T S^{-1} F M^{-1},
// S = rho I + F M^{-1} F^T, where F M^{-1} F^T = sum_b D_b X K^{-1} X^T D_b
// = 2 H o C with H = X K^{-1} X^T and C = sum_i d_i d_i^T (Hadamard product).
// Only the d x d matrix K and the n x n matrix S are factorised; a solve costs
// O(n d P + n^2 + P d^2).
type woodbury struct {
	in     *instance
	kinv   []float64 // d x d, nil when K = I
	hc     []float64 // 2 H o C, n x n
	u      []float64 // Cholesky factor of S
	t, q   []float64
	f      []float64
	rp, qp []float64 // P x n and P x d: F^T f needs only P distinct columns
}

func newWoodbury(in *instance) (*woodbury, error) {
	n, d := in.n, in.d
	w := &woodbury{in: in, hc: make([]float64, n*n), u: make([]float64, n*n)}
	xk := in.x
	if in.exact {
		k := make([]float64, d*d)
		mulABt(k, in.xt, in.xt, d, d, n, 1, 0)
		for j := range d {
			k[j*d+j]++
		}
		if !cholesky(k, d) {
			return nil, errNotPD
		}
		w.kinv = make([]float64, d*d)
		col := make([]float64, d)
		for j := range d { // K^{-1} column by column (K symmetric: rows too)
			clear(col)
			col[j] = 1
			cholSolve(k, col)
			copy(w.kinv[j*d:], col)
		}
		xk = make([]float64, n*d)
		mulABt(xk, in.x, w.kinv, n, d, d, 1, 0)
	}
	h := make([]float64, n*n)
	mulABt(h, xk, in.x, n, n, d, 1, 0)
	mt := make([]float64, n*in.np) // masks^T
	for i := range in.np {
		for k := range n {
			mt[k*in.np+i] = in.masks[i*n+k]
		}
	}
	mulABt(w.hc, mt, mt, n, n, in.np, 2, 0)
	for i, v := range h {
		w.hc[i] *= v
	}
	nx := in.nb() * d
	w.t, w.q = make([]float64, nx), make([]float64, nx)
	w.f = make([]float64, n)
	w.rp, w.qp = make([]float64, n*in.np), make([]float64, in.np*d)
	return w, nil
}

func (w *woodbury) setRho(rho float64) error {
	n := w.in.n
	copy(w.u, w.hc)
	for i := range n {
		w.u[i*n+i] += rho
	}
	if !cholesky(w.u, n) {
		return errNotPD
	}
	return nil
}

// mulKinv sets dst = alpha src K^{-1} + beta dst for 2P x d block matrices
// (K symmetric).
func (w *woodbury) mulKinv(dst, src []float64, alpha, beta float64) {
	nb, d := w.in.nb(), w.in.d
	mulABt(dst, src, w.kinv, nb, d, d, alpha, beta)
}

func (w *woodbury) solve(x, rhs []float64) {
	in := w.in
	n, d := in.n, in.d
	if w.kinv != nil {
		w.mulKinv(w.t, rhs, 1, 0)
	} else {
		copy(w.t, rhs)
	}
	in.mulXUt(w.t)
	in.fFromXU(w.f)
	cholSolve(w.u, w.f)
	// F^T f: block b is sigma_b X^T (d_b o f), so form the P products once
	np := in.np
	for i := range np {
		for k, fk := range w.f {
			w.rp[i*n+k] = in.masks[i*n+k] * fk
		}
	}
	mulABt(w.qp, w.rp, in.xt, np, d, n, 1, 0)
	copy(w.q, w.qp)
	for j, v := range w.qp {
		w.q[np*d+j] = -v
	}
	copy(x, w.t)
	if w.kinv != nil {
		w.mulKinv(x, w.q, -1, 1)
	} else {
		for i, v := range w.q {
			x[i] -= v
		}
	}
}

// denseSys factorises A itself: A = base + ftf/rho for the paper's splitting,
// or the rho-free A = E^T E + G^T G + L^T L of the adversarial splitting
// (ftf nil). A solve costs O((2dP)^2).
type denseSys struct {
	n            int
	base, ftf, u []float64
}

// blockGram returns B = Y^T Y (Pd x Pd) with Y = [D_1 X .. D_P X], so that
// block (b, c) of F^T F is sigma_b sigma_c B_{pattern(b), pattern(c)}.
func blockGram(in *instance) []float64 {
	n, d, pd := in.n, in.d, in.np*in.d
	yt := make([]float64, pd*n) // Y^T
	for i := range in.np {
		for j := range d {
			row := yt[(i*d+j)*n : (i*d+j+1)*n]
			for k := range n {
				row[k] = in.masks[i*n+k] * in.xt[j*n+k]
			}
		}
	}
	g := make([]float64, pd*pd)
	mulABt(g, yt, yt, pd, pd, n, 1, 0)
	return g
}

func newDense(in *instance) (*denseSys, error) {
	n, d, nb, np := in.n, in.d, in.nb(), in.np
	nu := nb * d
	nx, _, _ := in.sizes()
	xtx := make([]float64, d*d)
	mulABt(xtx, in.xt, in.xt, d, d, n, 1, 0)
	g := blockGram(in)
	pd := np * d
	ftf := make([]float64, nu*nu)
	for b := range nb {
		for c := range nb {
			sg := in.sigma(b) * in.sigma(c)
			i, l := b%np, c%np
			for j := range d {
				row := ftf[(b*d+j)*nu+c*d : (b*d+j)*nu+(c+1)*d]
				src := g[(i*d+j)*pd+l*d : (i*d+j)*pd+(l+1)*d]
				for m, v := range src {
					row[m] = sg * v
				}
			}
		}
	}
	base := make([]float64, nx*nx)
	ds := &denseSys{n: nx, u: make([]float64, nx*nx)}
	if !in.adv {
		for b := range nb {
			for j := range d {
				r := b*d + j
				base[r*nx+r] = 1
				if in.exact {
					for m := range d {
						base[r*nx+b*d+m] += xtx[j*d+m]
					}
				}
			}
		}
		ds.base, ds.ftf = base, ftf
		return ds, nil
	}
	// adversarial: E^T E + G^T G + L^T L, see ops.go for G and L.
	eps := in.eps
	cc := make([]float64, np*np) // d_i . d_j
	mulABt(cc, in.masks, in.masks, np, np, n, 1, 0)
	for r := range nu {
		copy(base[r*nx:r*nx+nu], ftf[r*nu:(r+1)*nu])
	}
	xte := make([]float64, d)
	for b := range nb {
		i := b % np
		for j := range d {
			xte[j] = 0
			for k := range n {
				xte[j] += in.x[k*d+j] * (2*in.masks[i*n+k] - 1)
			}
		}
		for c := range nb {
			sg := in.sigma(b) * in.sigma(c) * eps * eps * cc[i*np+c%np]
			for j, w := range in.omega {
				base[(b*d+j)*nx+c*d+j] += sg * w
			}
		}
		for j := range d {
			ru, rt := b*d+j, nu+b*d+j
			base[ru*nx+ru] += 3
			base[rt*nx+rt] += 2
			for m := range d {
				base[ru*nx+b*d+m] += xtx[j*d+m]
				base[ru*nx+nu+b*d+m] -= eps * xte[j] * in.omega[m]
				base[(nu+b*d+m)*nx+ru] -= eps * xte[j] * in.omega[m]
				base[rt*nx+nu+b*d+m] += eps * eps * float64(n) * in.omega[j] * in.omega[m]
			}
		}
	}
	copy(ds.u, base)
	if !cholesky(ds.u, nx) {
		return nil, errNotPD
	}
	return ds, nil
}

func (ds *denseSys) setRho(rho float64) error {
	if ds.ftf == nil {
		return nil // the adversarial system does not depend on rho
	}
	for i := range ds.u {
		ds.u[i] = ds.base[i] + ds.ftf[i]/rho
	}
	if !cholesky(ds.u, ds.n) {
		return errNotPD
	}
	return nil
}

func (ds *denseSys) solve(x, rhs []float64) {
	copy(x, rhs)
	cholSolve(ds.u, x)
}

// chooseSystem picks the cheaper factorisation for the paper's splitting by
// a flop count of setup plus iters solves.
func chooseSystem(in *instance, iters int) (linsys, error) {
	if in.adv {
		return newDense(in)
	}
	n, d, nb := float64(in.n), float64(in.d), float64(in.nb())
	it := float64(min(iters, 500))
	nx := nb * d
	wood := n*n*(d+nb/2) + n*n*n/3 + it*(4*n*nx+2*n*n+4*nx*d)
	dense := n*nx*nx/4 + nx*nx*nx/3 + it*2*nx*nx
	if dense < wood && nx <= denseLimit {
		return newDense(in)
	}
	return newWoodbury(in)
}
