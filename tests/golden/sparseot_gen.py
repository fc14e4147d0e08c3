#!/usr/bin/python3
"""Golden data for core/sparseot: quadratically regularised OT from POT 0.8.2
(ot.smooth.smooth_ot_semi_dual / smooth_ot_dual, reg_type='l2', run to a tight
tolerance) and exact OT costs from ot.emd2. Run with Debian's /usr/bin/python3:
    /usr/bin/python3 tests/golden/sparseot_gen.py > tests/golden/sparseot.json

POT's L-BFGS-B stops with marginal errors of 1e-7..1e-4, so each quadratic
case is also solved by cvxopt's QP solver and polished: on the support of the
QP solution, the KKT conditions t_ij = (alpha_i + beta_j - C_ij)/gamma with
both marginals are a linear system, solved by least squares. The polished plan
is kept only if it is positive on that support, meets both marginals to 1e-10,
costs no more than the QP solution, and both POT plans are close to it.
"""
import json
import sys

import cvxopt
import numpy as np
import ot
import ot.smooth


def flat(x):
    return [float(v) for v in np.asarray(x).ravel()]


def points_problem(rng, n, m):
    X, Y = rng.rand(n, 2), rng.rand(m, 2)
    C = ot.dist(X, Y)
    return C / C.max()


def qp(a, b, C, g):
    """Quadratic-OT plan by cvxopt's interior-point QP solver."""
    n, m = C.shape
    A = np.zeros((n + m, n * m))
    for i in range(n):
        A[i, i * m:(i + 1) * m] = 1
    for j in range(m):
        A[n + j, j::m] = 1
    A, rhs = A[:-1], np.concatenate([a, b])[:-1]  # one marginal is redundant
    cvxopt.solvers.options.update(show_progress=False, abstol=1e-12, reltol=1e-12, feastol=1e-12)
    sol = cvxopt.solvers.qp(cvxopt.matrix(g * np.eye(n * m)), cvxopt.matrix(C.ravel()),
                            cvxopt.matrix(-np.eye(n * m)), cvxopt.matrix(np.zeros(n * m)),
                            cvxopt.matrix(A), cvxopt.matrix(rhs))
    return np.array(sol['x']).reshape(n, m)


def polish(a, b, C, g):
    """Exact quadratic-OT plan: the support of cvxopt's QP solution, then the
    KKT system on it, t_ij = (alpha_i + beta_j - C_ij)/g with both marginals."""
    Tq = qp(a, b, C, g)
    reg = lambda T: (T * C).sum() + 0.5 * g * (T * T).sum()
    for cut in [1e-6, 1e-7, 1e-8, 1e-5, 1e-9]:
        S = Tq > cut * Tq.max()
        T, _ = kkt(a, b, C, g, S)
        if ((T[S] > 0).all() and abs(T.sum(1) - a).max() < 1e-10 and abs(T.sum(0) - b).max() < 1e-10
                and reg(T) <= reg(Tq) + 1e-10 and abs(T - Tq).max() < 1e-5):
            return T
    raise AssertionError('polishing failed')


def kkt(a, b, C, g, S):
    n, m = C.shape
    I, J = np.nonzero(S)
    rows = []
    rhs = []
    for i in range(n):  # row marginals
        r = np.zeros(n + m)
        for j in J[I == i]:
            r[i] += 1
            r[n + j] += 1
        rows.append(r)
        rhs.append(a[i] * g + C[i, J[I == i]].sum())
    for j in range(m):  # column marginals
        r = np.zeros(n + m)
        for i in I[J == j]:
            r[i] += 1
            r[n + j] += 1
        rows.append(r)
        rhs.append(b[j] * g + C[I[J == j], j].sum())
    x = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)[0]
    alpha, beta = x[:n], x[n:]
    R = alpha[:, None] + beta[None, :] - C
    return np.where(S, R, 0) / g, R


out = {}

# ALGORITHMS.md reference run.
rng = np.random.RandomState(0)
X, Y = rng.rand(50, 2), rng.rand(50, 2)
C = ot.dist(X, Y)
C /= C.max()
u = np.ones(50) / 50
T = ot.smooth.smooth_ot_semi_dual(u, u, C, 0.1, reg_type='l2')
out['reference'] = {
    'n': 50, 'm': 50, 'cost': flat(C), 'gamma': 0.1,
    'emd': float(ot.emd2(u, u, C)),
    'quadCost': float((T * C).sum()), 'quadNonzeros': int((T > 0).sum()),
}

# k >= n: quadratically regularised OT, square and not, uniform and general
# weights with totals other than 1 (POT wants probability vectors: solve the
# normalised problem with reg*total, then scale the plan back).
quad = []
rng = np.random.RandomState(1)
for n, m, uniform in [(12, 12, True), (9, 15, False), (20, 7, False), (30, 30, False)]:
    C = points_problem(rng, n, m) * (1 + 4 * rng.rand())
    if uniform:
        a, b = np.ones(n) / n, np.ones(m) / m
    else:
        a, b = rng.rand(n) + 0.2, rng.rand(m) + 0.2
        a /= a.sum()
        b /= b.sum()
    total = float(rng.choice([1.0, 3.5, 0.02]))
    for gamma in [0.01, 0.1, 1.0]:
        g = gamma * total  # the normalised problem's regularisation
        Ts = ot.smooth.smooth_ot_semi_dual(a, b, C, g, reg_type='l2', stopThr=1e-14, numItermax=20000)
        Td = ot.smooth.smooth_ot_dual(a, b, C, g, reg_type='l2', stopThr=1e-14, numItermax=20000)
        T = polish(a, b, C, g)
        diffs = [float(abs(Ts - T).max()), float(abs(Td - T).max())]
        print(n, m, gamma, 'POT semi-dual/dual vs polished', diffs, file=sys.stderr)
        assert max(diffs) < 1e-3
        T = T * total
        quad.append({
            'n': n, 'm': m, 'a': flat(a * total), 'b': flat(b * total), 'cost': flat(C),
            'gamma': gamma, 'plan': flat(T), 'potMaxDiff': max(diffs) * total,
            'transportCost': float((T * C).sum()),
            'regCost': float((T * C).sum() + 0.5 * gamma * (T * T).sum()),
        })
out['quadratic'] = quad

# k = 1, n = m, uniform weights: the exact OT cost.
emd = []
rng = np.random.RandomState(2)
for n in [10, 25, 40]:
    C = points_problem(rng, n, n)
    u = np.ones(n) / n
    emd.append({'n': n, 'cost': flat(C), 'emd': float(ot.emd2(u, u, C))})
out['emd'] = emd

print(json.dumps(out, separators=(',', ':')))
