package convexrelu

import (
	"errors"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
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

// woodbury solves with A^{-1} = M^{-1} - M^{-1} F^T S^{-1} F M^{-1},
// S = rho I + F M^{-1} F^T, where F M^{-1} F^T = sum_b D_b X K^{-1} X^T D_b
// = 2 H o C with H = X K^{-1} X^T and C = sum_i d_i d_i^T (Hadamard product).
// Only the d x d matrix K and the n x n matrix S are factorised; a solve costs
// O(n d P + n^2 + P d^2).
type woodbury struct {
	in     *instance
	kinv   []float64 // d x d, nil when K = I
	hc     []float64 // 2 H o C, n x n
	s      *mat.SymDense
	chol   mat.Cholesky
	t, q   []float64
	f      []float64
	rp, qp []float64 // P x n and P x d: F^T f needs only P distinct columns
}

func newWoodbury(in *instance) (*woodbury, error) {
	n, d := in.n, in.d
	w := &woodbury{in: in, hc: make([]float64, n*n), s: mat.NewSymDense(n, nil)}
	xk := in.x
	if in.exact {
		k := make([]float64, d*d)
		blas64.Gemm(blas.Trans, blas.NoTrans, 1, general(n, d, in.x), general(n, d, in.x), 0, general(d, d, k))
		for j := range d {
			k[j*d+j]++
		}
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(d, k)) {
			return nil, errNotPD
		}
		var inv mat.SymDense
		if err := ch.InverseTo(&inv); err != nil {
			var c mat.Condition
			if !errors.As(err, &c) {
				return nil, err
			}
		}
		w.kinv = make([]float64, d*d)
		for i := range d {
			for j := range d {
				w.kinv[i*d+j] = inv.At(i, j)
			}
		}
		xk = make([]float64, n*d)
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, general(n, d, in.x), general(d, d, w.kinv), 0, general(n, d, xk))
	}
	h := make([]float64, n*n)
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, general(n, d, xk), general(n, d, in.x), 0, general(n, n, h))
	blas64.Gemm(blas.Trans, blas.NoTrans, 2, general(in.np, n, in.masks), general(in.np, n, in.masks), 0, general(n, n, w.hc))
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
	raw := w.s.RawSymmetric().Data
	copy(raw, w.hc)
	for i := range n {
		raw[i*n+i] += rho
	}
	if !w.chol.Factorize(w.s) {
		return errNotPD
	}
	return nil
}

// mulKinv sets dst = src K^{-1} for 2P x d block matrices (K symmetric).
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
	cholSolve(&w.chol, w.f)
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
	base, ftf, a *mat.SymDense
	chol         mat.Cholesky
}

// blockGram returns B = Y^T Y (Pd x Pd) with Y = [D_1 X .. D_P X], so that
// block (b, c) of F^T F is sigma_b sigma_c B_{pattern(b), pattern(c)}.
func blockGram(in *instance) []float64 {
	n, d, pd := in.n, in.d, in.np*in.d
	y := make([]float64, n*pd)
	for k := range n {
		for i := range in.np {
			if in.masks[i*n+k] != 0 {
				copy(y[k*pd+i*d:k*pd+(i+1)*d], in.x[k*d:(k+1)*d])
			}
		}
	}
	g := make([]float64, pd*pd)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, general(n, pd, y), general(n, pd, y), 0, general(pd, pd, g))
	return g
}

func newDense(in *instance) (*denseSys, error) {
	n, d, nb, np := in.n, in.d, in.nb(), in.np
	nu := nb * d
	nx, _, _ := in.sizes()
	xtx := make([]float64, d*d)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, general(n, d, in.x), general(n, d, in.x), 0, general(d, d, xtx))
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
	ds := &denseSys{}
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
		ds.base, ds.ftf = mat.NewSymDense(nx, base), mat.NewSymDense(nx, ftf)
		ds.a = mat.NewSymDense(nx, nil)
		return ds, nil
	}
	// adversarial: E^T E + G^T G + L^T L, see ops.go for G and L.
	eps := in.eps
	cc := make([]float64, np*np) // d_i . d_j
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, general(np, n, in.masks), general(np, n, in.masks), 0, general(np, np, cc))
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
	ds.a = mat.NewSymDense(nx, base)
	if !ds.chol.Factorize(ds.a) {
		return nil, errNotPD
	}
	return ds, nil
}

func (ds *denseSys) setRho(rho float64) error {
	if ds.ftf == nil {
		return nil // the adversarial system does not depend on rho
	}
	a, b, f := ds.a.RawSymmetric().Data, ds.base.RawSymmetric().Data, ds.ftf.RawSymmetric().Data
	for i := range a {
		a[i] = b[i] + f[i]/rho
	}
	if !ds.chol.Factorize(ds.a) {
		return errNotPD
	}
	return nil
}

func (ds *denseSys) solve(x, rhs []float64) {
	copy(x, rhs)
	cholSolve(&ds.chol, x)
}

// cholSolve overwrites b with A^{-1} b for A = U^T U by forward and back
// substitution along the rows of U (contiguous in memory: as fast as
// blas64.Trsv natively and faster in wasm).
func cholSolve(c *mat.Cholesky, b []float64) {
	t := c.RawU().(*mat.TriDense).RawTriangular()
	n, st, u := t.N, t.Stride, t.Data
	for k := range n { // U^T y = b
		row := u[k*st+k : k*st+n]
		yk := b[k] / row[0]
		b[k] = yk
		rest := b[k+1 : n]
		for j, v := range row[1:] {
			rest[j] -= yk * v
		}
	}
	for i := n - 1; i >= 0; i-- { // U x = y
		row := u[i*st+i : i*st+n]
		s := b[i]
		for j, v := range row[1:] {
			s -= v * b[i+1+j]
		}
		b[i] = s / row[0]
	}
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
