package convexrelu

import "github.com/optwasm/optwasm/core/vec"

// instance is a validated problem with its patterns. Unknowns are stacked in
// blocks b = 0..2P-1 of length d: block b < P is v_b, block b >= P is
// w_{b-P}; the sign sigma_b is +1 for v blocks and -1 for w blocks, and
// pattern(b) = b mod P. Adversarial training appends the same number of l1
// bound variables t_b >= |u_b|.
//
// Matrices indexed by sample and block (X U^T, the cone slacks s, their duals)
// are n x 2P row-major, so that every product with X is one GEMM.
type instance struct {
	x, y     []float64
	n, d, np int
	masks    []float64 // np x n patterns
	beta     float64
	exact    bool
	adv      bool
	eps      float64
	omega    []float64 // 1 on perturbed coordinates, 0 on the bias column

	xt    []float64 // X^T, d x n
	xu, r []float64 // n x 2P and 2P x n work buffers
}

// buffers allocates the work buffers of the products with X.
func (in *instance) buffers() {
	nb := in.nb()
	in.xu, in.r = make([]float64, in.n*nb), make([]float64, nb*in.n)
	in.xt = make([]float64, in.d*in.n)
	for k := range in.n {
		for j := range in.d {
			in.xt[j*in.n+k] = in.x[k*in.d+j]
		}
	}
}

func (in *instance) nb() int { return 2 * in.np }
func (in *instance) sigma(b int) float64 {
	if b < in.np {
		return 1
	}
	return -1
}

// mask returns d_{pattern(b), k}.
func (in *instance) mask(b, k int) float64 { return in.masks[(b%in.np)*in.n+k] }

// mulABt sets c = alpha A B^T + beta c for row-major A (n x k), B (m x k)
// and c (n x m). The iterations use this plain dot-product kernel rather
// than blas64.Gemm: natively it is as fast for these shapes, and in wasm,
// where gonum has no assembly, about twice as fast.
func mulABt(c, a, b []float64, n, m, k int, alpha, beta float64) {
	for i := range n {
		ai := a[i*k : (i+1)*k]
		ci := c[i*m : (i+1)*m]
		for j := range ci {
			ci[j] = alpha*vec.Dot(ai, b[j*k:(j+1)*k]) + beta*ci[j]
		}
	}
}

// mulXUt sets in.xu = X U^T for the 2P x d block matrix U.
func (in *instance) mulXUt(u []float64) {
	mulABt(in.xu, in.x, u, in.n, in.nb(), in.d, 1, 0)
}

// addRtX adds R^T X (2P x d) to dst for R^T = in.r (2P x n).
func (in *instance) addRtX(dst []float64) {
	mulABt(dst, in.r, in.xt, in.nb(), in.d, in.n, 1, 1)
}

// fFromXU returns (F u)_k = sum_b sigma_b d_{b,k} (X u_b)_k from in.xu.
func (in *instance) fFromXU(dst []float64) {
	nb := in.nb()
	for k := range in.n {
		row := in.xu[k*nb : (k+1)*nb]
		var f float64
		for b, v := range row {
			f += in.sigma(b) * in.mask(b, k) * v
		}
		dst[k] = f
	}
}

// dotOmega returns omega . t: the robust cone rows use omega . t_b, linear in
// t, which bounds ||omega o u_b||_1 since t_b >= |u_b|.
func dotOmega(omega, t []float64) float64 {
	var s float64
	for j, v := range t {
		s += omega[j] * v
	}
	return s
}

// sizes returns the lengths of x (the ADMM primal), s (cone slacks) and q
// (the loss copy, adversarial only).
func (in *instance) sizes() (nx, ns, nq int) {
	nb := in.nb()
	nx = nb * in.d
	if in.adv {
		return 2 * nx, in.n*nb + 2*nx, in.n * (1 + in.d)
	}
	if in.exact {
		ns = in.n * nb
	}
	return nx, ns, 0
}

// gApply sets dst = G x: the cone rows e_{b,k} (X u_b)_k (minus
// eps omega . t_b when adversarial), then t_b - u_b and t_b + u_b.
func (in *instance) gApply(dst, x []float64) {
	nb := in.nb()
	in.mulXUt(x)
	nx := nb * in.d
	for k := range in.n {
		for b := range nb {
			e := 2*in.mask(b, k) - 1
			dst[k*nb+b] = e * in.xu[k*nb+b]
		}
	}
	if !in.adv {
		return
	}
	u, t := x[:nx], x[nx:]
	for b := range nb {
		c := in.eps * dotOmega(in.omega, t[b*in.d:(b+1)*in.d])
		for k := range in.n {
			dst[k*nb+b] -= c
		}
	}
	p2, p3 := dst[in.n*nb:in.n*nb+nx], dst[in.n*nb+nx:]
	for j := range nx {
		p2[j] = t[j] - u[j]
		p3[j] = t[j] + u[j]
	}
}

// gTAdd adds G^T p to dst.
func (in *instance) gTAdd(dst, p []float64) {
	nb := in.nb()
	for k := range in.n {
		for b := range nb {
			in.r[b*in.n+k] = (2*in.mask(b, k) - 1) * p[k*nb+b]
		}
	}
	in.addRtX(dst)
	if !in.adv {
		return
	}
	nx := nb * in.d
	du, dt := dst[:nx], dst[nx:]
	p2, p3 := p[in.n*nb:in.n*nb+nx], p[in.n*nb+nx:]
	for j := range nx {
		du[j] += p3[j] - p2[j]
		dt[j] += p2[j] + p3[j]
	}
	for b := range nb {
		var col float64
		for k := range in.n {
			col += p[k*nb+b]
		}
		for j, w := range in.omega {
			dt[b*in.d+j] -= in.eps * w * col
		}
	}
}

// fTAdd adds F^T w to dst (F^T w)_b = sigma_b X^T (d_b o w).
func (in *instance) fTAdd(dst, w []float64) {
	nb := in.nb()
	for k := range in.n {
		for b := range nb {
			in.r[b*in.n+k] = in.sigma(b) * in.mask(b, k) * w[k]
		}
	}
	in.addRtX(dst)
}

// lApply sets dst = L x for adversarial training: dst[:n] = F u and
// dst[n + k d + j] = eps omega_j sum_b sigma_b d_{b,k} u_{b,j} (the slope
// a_k of the network around x_k, scaled by eps).
func (in *instance) lApply(dst, x []float64) {
	in.mulXUt(x)
	in.fFromXU(dst[:in.n])
	in.slopes(dst[in.n:], x)
}

// slopes sets a (n x d) to eps omega o sum_b sigma_b d_{b,k} u_b.
func (in *instance) slopes(a, u []float64) {
	d, nb := in.d, in.nb()
	clear(a)
	for b := range nb {
		ub := u[b*d : (b+1)*d]
		for k := range in.n {
			c := in.sigma(b) * in.mask(b, k)
			if c == 0 {
				continue
			}
			ak := a[k*d : (k+1)*d]
			for j, v := range ub {
				ak[j] += c * v
			}
		}
	}
	for k := range in.n {
		for j, w := range in.omega {
			a[k*d+j] *= in.eps * w
		}
	}
}

// lTAdd adds L^T p to dst (u part only; L does not involve t).
func (in *instance) lTAdd(dst, p []float64) {
	in.fTAdd(dst, p[:in.n])
	d, nb := in.d, in.nb()
	pa := p[in.n:]
	for b := range nb {
		db := dst[b*d : (b+1)*d]
		for k := range in.n {
			c := in.sigma(b) * in.mask(b, k)
			if c == 0 {
				continue
			}
			for j, w := range in.omega {
				db[j] += c * in.eps * w * pa[k*d+j]
			}
		}
	}
}
