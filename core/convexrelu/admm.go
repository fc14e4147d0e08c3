package convexrelu

import (
	"math"
	"slices"

	"github.com/optwasm/optwasm/core/solver"
	"github.com/optwasm/optwasm/core/vec"
)

// relax is the over-relaxation parameter of ADMM (Boyd et al., section
// 3.4.3): 1.8 roughly halved the iterations on the golden problems.
const relax = 1.8

// Residual balancing (Boyd et al. 2011, section 3.4.1): every adaptEvery
// iterations, when one relative residual exceeds adaptRatio times the other,
// rho is scaled by adaptFactor (and the scaled duals by its inverse).
// Near convergence both residuals are noise, so the number of changes and
// the range of rho are bounded.
const (
	adaptEvery   = 20
	adaptRatio   = 10
	adaptFactor  = 2
	adaptChanges = 12
)

// admm runs the ADMM of the paper on the splitting
//
//	minimise loss + beta sum_b ||z_b|| + indicator(s >= 0)
//	subject to u = z, G x = s  (and L x = q for adversarial training)
//
// with scaled duals lambda, nu (kappa). For the squared loss the loss stays in
// the x-step (A = I + G^T G + F^T F / rho); the adversarial loss is split off
// through q (A = E^T E + G^T G + L^T L) and enters through its prox.
func (in *instance) admm(res *Result, rho float64, maxIter int, tol float64, st *Settings) error {
	nx, ns, nq := in.sizes()
	nu := in.nb() * in.d
	in.buffers()
	sys, err := chooseSystem(in, maxIter)
	if err != nil {
		return err
	}
	_, res.Woodbury = sys.(*woodbury)
	if err := sys.setRho(rho); err != nil {
		return err
	}
	res.Factorisations = 1
	x, rhs, tmp := make([]float64, nx), make([]float64, nx), make([]float64, nx)
	z, zOld, lam, xh := make([]float64, nu), make([]float64, nu), make([]float64, nu), make([]float64, nu)
	s, sOld, nuD, gx := make([]float64, ns), make([]float64, ns), make([]float64, ns), make([]float64, ns)
	q, qOld, kap, lx := make([]float64, nq), make([]float64, nq), make([]float64, nq), make([]float64, nq)
	fty := make([]float64, nu)
	if !in.adv {
		in.fTAdd(fty, in.y)
	}
	obj := make([]float64, in.n) // work buffer of objective()
	proxBuf := make([]float64, 1+in.d)
	want := st.History || st.Control.Progress != nil
	status := solver.MaxIter
	var rp, rd float64
	iter, changes := 0, 0
	for iter < maxIter {
		if stt, stop := st.Control.Interrupted(); stop {
			status = stt
			break
		}
		iter++
		// x-step
		clear(rhs)
		for j := range nu {
			rhs[j] = z[j] - lam[j]
		}
		if !in.adv {
			for j, v := range fty {
				rhs[j] += v / rho
			}
		}
		if ns > 0 {
			for j := range s {
				sOld[j] = s[j] - nuD[j] // sOld doubles as a work buffer here
			}
			in.gTAdd(rhs, sOld)
		}
		if in.adv {
			for j := range q {
				qOld[j] = q[j] - kap[j]
			}
			in.lTAdd(rhs, qOld)
		}
		sys.solve(x, rhs)
		// z-, s-, q-steps and dual updates
		copy(zOld, z)
		// over-relaxation: the z-, s- and q-steps see a (x-side) + (1 - a)(old copy)
		for j := range nu {
			xh[j] = relax*x[j] + (1-relax)*zOld[j]
		}
		groupShrink(z, xh, lam, in.d, in.beta/rho)
		var pri, nrmAx, nrmZ float64
		for j := range nu {
			r := x[j] - z[j]
			lam[j] += xh[j] - z[j]
			pri += r * r
			nrmAx += x[j] * x[j]
			nrmZ += z[j] * z[j]
		}
		if ns > 0 {
			in.gApply(gx, x)
			copy(sOld, s)
			for j, g := range gx {
				gh := relax*g + (1-relax)*sOld[j]
				s[j] = math.Max(gh+nuD[j], 0)
				r := g - s[j]
				nuD[j] += gh - s[j]
				pri += r * r
				nrmAx += g * g
				nrmZ += s[j] * s[j]
			}
		}
		if in.adv {
			in.lApply(lx, x)
			copy(qOld, q)
			for j, l := range lx {
				lx[j] = relax*l + (1-relax)*qOld[j] // lx keeps the relaxed value
				q[j] = lx[j] + kap[j]
			}
			in.proxLoss(q, rho, proxBuf)
			for j, l := range lx {
				kap[j] += l - q[j]
				l = (l - (1-relax)*qOld[j]) / relax // back to L x
				r := l - q[j]
				pri += r * r
				nrmAx += l * l
				nrmZ += q[j] * q[j]
			}
		}
		// dual residual rho ||E^T dz + G^T ds + L^T dq||, only when it can
		// decide something (it costs a product with X^T)
		rp = math.Sqrt(pri)
		epsP := tol * math.Max(math.Sqrt(math.Max(nrmAx, nrmZ)), 1e-12)
		adapt := st.Adaptive && iter%adaptEvery == 0 && changes < adaptChanges
		if !(rp <= epsP || adapt || want || iter == maxIter) {
			continue
		}
		clear(tmp)
		for j := range nu {
			tmp[j] = z[j] - zOld[j]
		}
		if ns > 0 {
			for j := range s {
				sOld[j] = s[j] - sOld[j]
			}
			in.gTAdd(tmp, sOld)
		}
		if in.adv {
			for j := range q {
				qOld[j] = q[j] - qOld[j]
			}
			in.lTAdd(tmp, qOld)
		}
		rd = rho * vec.Norm(tmp)
		var objective float64
		if want {
			objective = in.objective(z, obj)
			if st.History {
				res.History.Objective = append(res.History.Objective, objective)
				res.History.Primal = append(res.History.Primal, rp)
				res.History.Dual = append(res.History.Dual, rd)
			}
			st.Control.Report(iter, objective, math.Max(rp, rd))
		}
		if !(rp <= epsP || adapt) {
			continue
		}
		// dual scale rho (||lambda||^2 + ||G^T nu||^2 + ||L^T kappa||^2)^(1/2),
		// term by term: with the loss split off, E^T lambda + G^T nu + L^T
		// kappa tends to 0 (x-stationarity) and would be no scale at all
		dual := vec.Dot(lam, lam)
		if ns > 0 {
			clear(tmp)
			in.gTAdd(tmp, nuD)
			dual += vec.Dot(tmp, tmp)
		}
		if in.adv {
			clear(tmp)
			in.lTAdd(tmp, kap)
			dual += vec.Dot(tmp, tmp)
		}
		epsD := tol * math.Max(rho*math.Sqrt(dual), 1e-12)
		if rp <= epsP && rd <= epsD {
			status = solver.Converged
			break
		}
		if adapt {
			f := 1.0
			if rp/epsP > adaptRatio*rd/epsD {
				f = adaptFactor
			} else if rd/epsD > adaptRatio*rp/epsP {
				f = 1.0 / adaptFactor
			}
			if f != 1 {
				changes++
				rho *= f
				vec.Scale(lam, 1/f)
				vec.Scale(nuD, 1/f)
				vec.Scale(kap, 1/f)
				if err := sys.setRho(rho); err != nil {
					return err
				}
				if !in.adv {
					res.Factorisations++
				}
			}
		}
	}
	res.Status, res.Iterations, res.Primal, res.Dual, res.Rho = status, iter, rp, rd, rho
	res.Objective = in.objective(z, obj)
	res.ConstraintViolation = in.violation(z)
	res.LowerBound = math.NaN()
	if !in.adv {
		res.LowerBound = in.lowerBound(x[:nu], nuD, rho)
	}
	res.V = slices.Clone(z[:nu/2])
	res.W = slices.Clone(z[nu/2:])
	return nil
}

// groupShrink sets z_b = max(0, 1 - tau/||c_b||) c_b with c = u + lam: the
// prox of tau sum_b ||.||.
func groupShrink(z, u, lam []float64, d int, tau float64) {
	for b := 0; b < len(z); b += d {
		var nrm float64
		for j := b; j < b+d; j++ {
			c := u[j] + lam[j]
			z[j] = c
			nrm += c * c
		}
		nrm = math.Sqrt(nrm)
		f := 0.0
		if nrm > tau {
			f = 1 - tau/nrm
		}
		for j := b; j < b+d; j++ {
			z[j] *= f
		}
	}
}

// proxLoss replaces q (= L x + kappa) by the prox of h/rho, h the adversarial
// loss sum_k 1/2 (|r_k - y_k| + ||a_k||_1)^2, sample by sample. With
// p = (r_k - y_k, a_k) that is the prox of (lambda/2)||p||_1^2, lambda =
// 1/rho: p_j <- sign(p_j) max(|p_j| - lambda tau, 0) where tau = ||p_new||_1
// solves tau = sum_j max(|p_j| - lambda tau, 0); with the m largest |p_j|
// active, tau = S_m / (1 + m lambda).
func (in *instance) proxLoss(q []float64, rho float64, buf []float64) {
	lambda := 1 / rho
	d := in.d
	for k := range in.n {
		buf[0] = math.Abs(q[k] - in.y[k])
		for j := range d {
			buf[1+j] = math.Abs(q[in.n+k*d+j])
		}
		slices.Sort(buf)
		var sum, tau float64
		for m := 1; m <= len(buf); m++ {
			a := buf[len(buf)-m]
			if a == 0 {
				break
			}
			sum += a
			t := sum / (1 + float64(m)*lambda)
			if a-lambda*t <= 0 {
				break
			}
			tau = t
		}
		shrink := lambda * tau
		q[k] = in.y[k] + softThreshold(q[k]-in.y[k], shrink)
		for j := range d {
			q[in.n+k*d+j] = softThreshold(q[in.n+k*d+j], shrink)
		}
	}
}

func softThreshold(v, t float64) float64 {
	switch {
	case v > t:
		return v - t
	case v < -t:
		return v + t
	}
	return 0
}

// objective is the convex objective at the blocks z (buf: n floats).
func (in *instance) objective(z, buf []float64) float64 {
	in.mulXUt(z)
	in.fFromXU(buf)
	d := in.d
	var reg float64
	for b := 0; b < len(z); b += d {
		reg += vec.Norm(z[b : b+d])
	}
	var loss float64
	if !in.adv {
		for k, f := range buf {
			loss += (f - in.y[k]) * (f - in.y[k])
		}
		return loss/2 + in.beta*reg
	}
	// |r_k| + eps ||omega o a_k||_1, a_k = sum_b sigma_b d_bk z_b, computed
	// per sample to stay allocation-free
	for k, f := range buf {
		var l1 float64
		for j, w := range in.omega {
			if w == 0 {
				continue
			}
			var a float64
			for b := range in.nb() {
				a += in.sigma(b) * in.mask(b, k) * z[b*d+j]
			}
			l1 += math.Abs(a)
		}
		e := math.Abs(f-in.y[k]) + in.eps*l1
		loss += e * e
	}
	return loss/2 + in.beta*reg
}

// violation is max_{b,k} of eps ||omega o z_b||_1 - e_{b,k} (X z_b)_k, and 0
// if negative (cone constraints of the exact and adversarial programs).
func (in *instance) violation(z []float64) float64 {
	if !in.exact {
		return 0
	}
	nb, d := in.nb(), in.d
	in.mulXUt(z)
	var worst float64
	for b := range nb {
		var l1 float64
		if in.adv {
			for j, w := range in.omega {
				l1 += w * math.Abs(z[b*d+j])
			}
		}
		for k := range in.n {
			e := 2*in.mask(b, k) - 1
			worst = math.Max(worst, in.eps*l1-e*in.xu[k*nb+b])
		}
	}
	return worst
}

// lowerBound evaluates the Lagrange dual of the squared-loss program,
//
//	max theta^T y - 1/2 ||theta||^2  s.t. ||F_b^T theta + G_b^T eta_b|| <= beta, eta >= 0,
//
// at theta = t (y - F u), eta = -t rho nu (nu <= 0 after every s-step), where
// t >= 0 maximises the dual subject to every block constraint. At an ADMM
// fixed point F^T theta + G^T eta = rho lambda has block norms <= beta, so
// t = 1 is feasible and the bound is tight at convergence.
func (in *instance) lowerBound(u, nuD []float64, rho float64) float64 {
	nb, d := in.nb(), in.d
	theta := make([]float64, in.n)
	in.mulXUt(u)
	in.fFromXU(theta)
	var ty, tt float64
	for k, v := range theta {
		theta[k] = in.y[k] - v
		ty += theta[k] * in.y[k]
		tt += theta[k] * theta[k]
	}
	c := make([]float64, nb*d)
	for k := range in.n {
		for b := range nb {
			r := in.sigma(b) * in.mask(b, k) * theta[k]
			if in.exact {
				r -= (2*in.mask(b, k) - 1) * rho * nuD[k*nb+b]
			}
			in.r[b*in.n+k] = r
		}
	}
	in.addRtX(c)
	tmax := math.Inf(1)
	for b := 0; b < len(c); b += d {
		if nc := vec.Norm(c[b : b+d]); nc > 0 {
			tmax = math.Min(tmax, in.beta/nc)
		}
	}
	if tt == 0 {
		return 0
	}
	t := math.Min(math.Max(ty/tt, 0), tmax)
	return t*ty - t*t*tt/2
}
