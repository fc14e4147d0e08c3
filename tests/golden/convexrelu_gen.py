#!/usr/bin/python3
"""Golden data for core/convexrelu: optima of the convex two-layer ReLU programs
computed by cvxopt's conic solver (conelp, an interior-point SOCP solver).

Run with Debian's python3 (numpy, scikit-learn, cvxopt):
    /usr/bin/python3 tests/golden/convexrelu_gen.py > tests/golden/convexrelu.json

Program (sum over samples, D_i = diag(1[X g_i >= 0]) from the stored gates,
duplicate patterns dropped keeping the first occurrence, e_i = 2 d_i - 1):
  minimise 1/2 ||sum_i D_i X (v_i - w_i) - y||^2 + beta sum_i (||v_i|| + ||w_i||)
  exact:        s.t. e_ik x_k.v_i >= 0, e_ik x_k.w_i >= 0
  approximate:  no constraints
  adversarial (l-infinity ball of radius eps; omega masks the bias column, which
  is not perturbed):
    minimise 1/2 sum_k (|r_k| + eps ||omega * a_k||_1)^2 + beta sum_i (||v_i|| + ||w_i||)
    r = sum_i D_i X (v_i - w_i) - y,  a_k = sum_i d_ik (v_i - w_i)
    s.t. e_ik x_k.v_i >= eps ||omega * v_i||_1  (and the same for w_i)
"""
import json
import sys

import numpy as np
import scipy.sparse as sp
from cvxopt import matrix, solvers, spmatrix
from sklearn.datasets import load_breast_cancer, make_moons

solvers.options.update(dict(show_progress=False, abstol=1e-9, reltol=1e-9,
                            feastol=1e-9, maxiters=200))


def patterns(X, gates):
    D = (X @ gates.T >= 0).astype(float)  # n x P
    keep, seen = [], set()
    for i in range(D.shape[1]):
        key = D[:, i].tobytes()
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return D[:, keep], keep


def to_cvx(M):
    M = sp.coo_matrix(M)
    return spmatrix(M.data.tolist(), M.row.tolist(), M.col.tolist(), size=M.shape)


def solve(X, y, D, beta, form, eps=0.0, omega=None):
    n, d = X.shape
    P = D.shape[1]
    nu = 2 * d * P  # v blocks then w blocks
    ig = nu  # group norms follow u
    nvar = ig + 2 * P
    adv = form == 'adversarial'
    if adv:
        itt = nvar           # t (2dP), |v| <= t elementwise
        im = itt + nu        # m_k >= |r_k| + sum_j b_kj
        ib = im + n          # b_kj >= eps*omega_j*|a_kj|
        nvar = ib + n * d
    # F: n x nu
    F = np.zeros((n, nu))
    for i in range(P):
        F[:, i * d:(i + 1) * d] = D[:, [i]] * X
        F[:, (P + i) * d:(P + i + 1) * d] = -D[:, [i]] * X
    lin_rows, lin_h = [], []

    def lin(row, h):
        lin_rows.append(row)
        lin_h.append(h)
    if form in ('exact', 'adversarial'):
        for blk in range(2 * P):
            i = blk % P
            E = (2 * D[:, i] - 1)[:, None] * X
            for k in range(n):
                row = sp.lil_matrix((1, nvar))
                row[0, blk * d:(blk + 1) * d] = -E[k]
                if adv:
                    row[0, itt + blk * d:itt + (blk + 1) * d] = eps * omega
                lin(row, 0.0)
    if adv:
        for j in range(nu):
            for s in (1, -1):
                row = sp.lil_matrix((1, nvar))
                row[0, j] = s
                row[0, itt + j] = -1
                lin(row, 0.0)
        for k in range(n):
            for s in (1, -1):
                row = sp.lil_matrix((1, nvar))
                row[0, :nu] = s * F[k]
                row[0, ib + k * d:ib + (k + 1) * d] = (omega != 0).astype(float)
                row[0, im + k] = -1
                lin(row, s * y[k])
            for j in range(d):
                if omega[j] == 0:  # unused variable, pinned to keep G full rank
                    row = sp.lil_matrix((1, nvar))
                    row[0, ib + k * d + j] = -1
                    lin(row, 0.0)
                    continue
                a = np.zeros(nu)
                for i in range(P):
                    if D[k, i]:
                        a[i * d + j] += eps
                        a[(P + i) * d + j] -= eps
                for s in (1, -1):
                    row = sp.lil_matrix((1, nvar))
                    row[0, :nu] = s * a
                    row[0, ib + k * d + j] = -1
                    lin(row, 0.0)
    blocks, hs, qdims = [], [], []
    if lin_rows:
        blocks.append(sp.vstack(lin_rows))
        hs.append(np.array(lin_h))
    for blk in range(2 * P):
        Gq = sp.lil_matrix((d + 1, nvar))
        Gq[0, ig + blk] = -1
        for j in range(d):
            Gq[1 + j, blk * d + j] = -1
        blocks.append(Gq.tocsr())
        hs.append(np.zeros(d + 1))
        qdims.append(d + 1)
    G = sp.vstack(blocks).tocsr()
    # the loss 1/2||r||^2 (r = Fu - y, or r = m when adversarial) as the QP term
    Pq = np.zeros((nvar, nvar))
    q = np.zeros(nvar)
    if adv:
        Pq[im:im + n, im:im + n] = np.eye(n)
    else:
        Pq[:nu, :nu] = F.T @ F
        q[:nu] = -F.T @ y
    q[ig:ig + 2 * P] = beta
    sol = solvers.coneqp(matrix(Pq), matrix(q), to_cvx(G), matrix(np.concatenate(hs)),
                         dims={'l': len(lin_rows), 'q': qdims, 's': []})
    # 'unknown' happens when the KKT system turns singular after convergence
    assert sol['status'] == 'optimal' or max(
        sol['primal infeasibility'], sol['dual infeasibility'], abs(sol['relative gap'])) < 1e-8, sol

    x = np.array(sol['x']).ravel()
    u = x[:nu]
    # objective re-evaluated from u (not the epigraph variables)
    r = F @ u - y
    reg = beta * sum(np.linalg.norm(u[b * d:(b + 1) * d]) for b in range(2 * P))
    if adv:
        A = np.zeros(n)
        for k in range(n):
            a = np.zeros(d)
            for i in range(P):
                if D[k, i]:
                    a += u[i * d:(i + 1) * d] - u[(P + i) * d:(P + i + 1) * d]
            A[k] = eps * np.sum(np.abs(omega * a))
        obj = 0.5 * np.sum((np.abs(r) + A) ** 2) + reg
    else:
        obj = 0.5 * r @ r + reg
    pobj = sol['primal objective'] + (0 if adv else 0.5 * y @ y)
    return float(obj), float(pobj), u


def case(name, X, y, gates, beta, form, bias, eps=0.0):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))]) if bias else X
    D, keep = patterns(Xb, gates)
    omega = np.ones(Xb.shape[1])
    if bias:
        omega[-1] = 0
    obj, pobj, u = solve(Xb, y, D, beta, form, eps, omega)
    print(f'{name}: P kept {D.shape[1]}/{gates.shape[0]} objective {obj:.10g} '
          f'(conelp {pobj:.10g})', file=sys.stderr)
    return dict(name=name, n=X.shape[0], d=X.shape[1], X=X.ravel().tolist(), y=y.tolist(),
                gates=gates.ravel().tolist(), numPatterns=gates.shape[0], beta=beta,
                formulation=form, bias=bias, epsilon=eps, keptGates=keep,
                objective=obj)


def main():
    rng = np.random.default_rng(20260)
    out = {'generator': 'tests/golden/convexrelu_gen.py (cvxopt %s conelp)' %
           __import__('cvxopt').__version__, 'cases': []}
    # small random regression problem (no bias)
    n, d, P = 30, 4, 8
    X = rng.standard_normal((n, d))
    y = np.maximum(X @ rng.standard_normal(d), 0) - 0.5 * np.maximum(X @ rng.standard_normal(d), 0) \
        + 0.1 * rng.standard_normal(n)
    g = rng.standard_normal((P, d))
    out['cases'].append(case('regression-exact', X, y, g, 0.05, 'exact', False))
    out['cases'].append(case('regression-approximate', X, y, g, 0.05, 'approximate', False))
    # moons classification with bias; duplicated gate rows test de-duplication
    Xm, ym = make_moons(n_samples=40, noise=0.15, random_state=3)
    Xm = (Xm - Xm.mean(0)) / Xm.std(0)
    ym = 2.0 * ym - 1
    g = rng.standard_normal((10, 3))
    g[7] = 2 * g[2]  # same pattern as gate 2
    out['cases'].append(case('moons-exact', Xm, ym, g, 0.01, 'exact', True))
    out['cases'].append(case('moons-approximate', Xm, ym, g, 0.01, 'approximate', True))
    out['cases'].append(case('moons-adversarial', Xm, ym, g, 0.01, 'adversarial', True, eps=0.05))
    out['cases'].append(case('regression-adversarial', X, y, rng.standard_normal((5, d)), 0.05,
                             'adversarial', False, eps=0.1))
    # breast cancer: raw features (tests standardise with the training split's statistics)
    bc = load_breast_cancer()
    perm = rng.permutation(len(bc.target))
    ntr = 455
    Xr, yr = bc.data[perm], 2.0 * bc.target[perm] - 1
    mu, sd = Xr[:ntr].mean(0), Xr[:ntr].std(0)
    Xs = (Xr - mu) / sd
    g = rng.standard_normal((20, Xs.shape[1] + 1))
    c = case('breast-cancer-exact', Xs[:ntr], yr[:ntr], g, 1e-3, 'exact', True)
    del c['X']  # rebuilt from the raw data below
    c['standardised'] = True
    out['cases'].append(c)
    out['breastCancer'] = dict(n=len(yr), d=Xr.shape[1], train=ntr, raw=Xr.ravel().tolist(),
                               y=yr.tolist())
    json.dump(out, sys.stdout, separators=(',', ':'))


if __name__ == '__main__':
    main()
