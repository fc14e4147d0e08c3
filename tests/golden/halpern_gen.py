#!/usr/bin/python3
"""Golden data for core/halpern, computed by software independent of optwasm.

Matrix games: value and equilibrium strategies from scipy's HiGHS linprog
(min over x in the simplex of max_j (A^T x)_j, and the dual LP for y).
Affine problems: numpy.linalg.solve for unconstrained ones, cvxopt's QP solver
for a symmetric box-constrained LCP, and exhaustive active-set enumeration
for a small non-symmetric monotone box-constrained LCP.

Run: /usr/bin/python3 tests/golden/halpern_gen.py > tests/golden/halpern.json
"""
import itertools
import json

import numpy as np
from scipy.optimize import linprog
from cvxopt import matrix, solvers

solvers.options["show_progress"] = False
solvers.options["abstol"] = 1e-12
solvers.options["reltol"] = 1e-12
solvers.options["feastol"] = 1e-12


def solve_game(A):
    """min_x max_y x^T A y over simplices, by two LPs (HiGHS)."""
    m, n = A.shape
    # x-player: minimise v s.t. A^T x <= v 1, sum x = 1, x >= 0.
    c = np.r_[np.zeros(m), 1.0]
    A_ub = np.c_[A.T, -np.ones(n)]
    A_eq = np.r_[np.ones(m), 0.0][None, :]
    rx = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=[1.0],
                 bounds=[(0, None)] * m + [(None, None)], method="highs")
    assert rx.status == 0, rx.message
    # y-player: maximise w s.t. A y >= w 1, sum y = 1, y >= 0.
    c = np.r_[np.zeros(n), -1.0]
    A_ub = np.c_[-A, np.ones(m)]
    A_eq = np.r_[np.ones(n), 0.0][None, :]
    ry = linprog(c, A_ub=A_ub, b_ub=np.zeros(m), A_eq=A_eq, b_eq=[1.0],
                 bounds=[(0, None)] * n + [(None, None)], method="highs")
    assert ry.status == 0, ry.message
    x, y = rx.x[:m], ry.x[:n]
    vx, vy = rx.x[m], -ry.fun
    assert abs(vx - vy) < 1e-8 * max(1, abs(vx)), (vx, vy)
    return float(vx), x, y


def pb_matrix(w, th=0.8):
    n = len(w)
    idx = np.arange(n)
    return w[None, :] * (1 - np.exp(-th * np.abs(idx[:, None] - idx[None, :])))


def game_entry(name, A, unique, extra=None):
    value, x, y = solve_game(A)
    e = {"name": name, "rows": A.shape[0], "cols": A.shape[1],
         "value": value, "x": x.tolist(), "y": y.tolist(), "unique": unique}
    if extra is None:
        e["A"] = A.ravel().tolist()
    else:
        e.update(extra)
    return e


def lcp_enumerate(M, q, lo, hi):
    """Solve 0 in Mz + q + N_[lo,hi](z) by trying every active set."""
    n = len(q)
    sols = []
    for states in itertools.product((0, 1, 2), repeat=n):  # 0 lower, 1 free, 2 upper
        z = np.where(np.array(states) == 0, lo, hi).astype(float)
        free = [i for i in range(n) if states[i] == 1]
        if free:
            fixed = [i for i in range(n) if states[i] != 1]
            rhs = -q[free] - M[np.ix_(free, fixed)] @ z[fixed]
            try:
                z[free] = np.linalg.solve(M[np.ix_(free, free)], rhs)
            except np.linalg.LinAlgError:
                continue
        f = M @ z + q
        tol = 1e-10
        ok = all(
            (s == 0 and f[i] >= -tol) or (s == 2 and f[i] <= tol) or
            (s == 1 and lo[i] - tol <= z[i] <= hi[i] + tol)
            for i, s in enumerate(states))
        if ok:
            sols.append(z)
    assert sols, "no solution"
    for s in sols[1:]:
        assert np.allclose(s, sols[0], atol=1e-9), "solution not unique"
    return sols[0]


def paper_qp(n):
    """The paper's unconstrained min-max quadratic game (quadratic_programming.py):
    F(x, y) = (H x - h - A^T y, A x - b), H = 2 A^T A, A anti-bidiagonal / 4."""
    A = np.zeros((n, n))
    for i in range(n):
        A[i, n - 1 - i] = 1
        if i < n - 1:
            A[i, n - 2 - i] = -1
    A /= 4
    H = 2 * A.T @ A
    b = np.ones(n) / 4
    h = np.zeros(n)
    h[-1] = 1 / 4
    M = np.block([[H, -A.T], [A, np.zeros((n, n))]])
    q = np.r_[-h, -b]
    z = np.linalg.solve(M, -q)
    return {"name": f"paper-minmax-quadratic-{n}", "construct": "paper-qp", "n": n,
            "z": z.tolist()}


def main():
    rng = np.random.default_rng(20240504)
    games = []
    games.append(game_entry("gaussian-30x40", rng.standard_normal((30, 40)), True))
    games.append(game_entry("gaussian-50x50", rng.standard_normal((50, 50)), True))
    games.append(game_entry("gaussian-8x3", rng.standard_normal((8, 3)), True))
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=float)
    games.append(game_entry("rock-paper-scissors", A, True))
    # Pure saddle point at (2, 4): A[2,4] is the largest entry of row 2 and
    # the smallest of column 4, strictly.
    A = rng.uniform(0, 1, (6, 7))
    A[2, :] = rng.uniform(0, 0.4, 7)
    A[:, 4] = rng.uniform(0.6, 1, 6)
    A[2, 4] = 0.5
    games.append(game_entry("pure-saddle-6x7", A, True))
    A = np.array([[3.0, 1.0], [2.0, 0.5]])  # saddle at row 1, column 0
    games.append(game_entry("pure-saddle-2x2", A, True))
    np.random.seed(1)
    for n in (60, 200):
        w = np.abs(np.random.randn(n))
        games.append(game_entry(f"policeman-burglar-{n}", pb_matrix(w), False,
                                {"pbWeights": w.tolist(), "pbTheta": 0.8}))

    affine = []
    # The paper's unconstrained min-max quadratic game (quadratic_programming.py):
    # F(x, y) = (H x - h - A^T y, A x - b), H = 2 A^T A, A anti-bidiagonal / 4.
    for n in (20, 200):
        affine.append(paper_qp(n))
    # Unconstrained monotone (PSD + skew) system.
    k = 12
    B = rng.standard_normal((k, k))
    K = rng.standard_normal((k, k))
    M = B @ B.T / k + (K - K.T) + 0.1 * np.eye(k)
    q = rng.standard_normal(k)
    affine.append({"name": "unconstrained-12", "M": M.ravel().tolist(), "q": q.tolist(),
                   "z": np.linalg.solve(M, -q).tolist()})
    # Symmetric box LCP: min 1/2 z^T M z + q^T z over lo <= z <= hi (cvxopt QP).
    k = 30
    B = rng.standard_normal((k, k // 2))
    M = B @ B.T  # rank-deficient PSD: merely monotone
    M += 1e-2 * np.eye(k)
    q = rng.standard_normal(k) * 3
    lo, hi = -np.ones(k), np.ones(k) * 2
    G = np.r_[np.eye(k), -np.eye(k)]
    hh = np.r_[hi, -lo]
    sol = solvers.qp(matrix(M), matrix(q), matrix(G), matrix(hh))
    assert sol["status"] == "optimal"
    affine.append({"name": "symmetric-box-lcp-30", "M": M.ravel().tolist(), "q": q.tolist(),
                   "lower": lo.tolist(), "upper": hi.tolist(),
                   "z": np.array(sol["x"]).ravel().tolist()})
    # Non-symmetric monotone LCP over [0, 1]^8, by enumeration.
    k = 8
    B = rng.standard_normal((k, k))
    K = rng.standard_normal((k, k))
    M = B @ B.T / k + 0.5 * (K - K.T) + 0.05 * np.eye(k)
    q = rng.standard_normal(k) * 2
    lo, hi = np.zeros(k), np.ones(k)
    affine.append({"name": "monotone-box-lcp-8", "M": M.ravel().tolist(), "q": q.tolist(),
                   "lower": lo.tolist(), "upper": hi.tolist(),
                   "z": lcp_enumerate(M, q, lo, hi).tolist()})
    # Nonnegative-orthant LCP (upper = +inf) with a non-symmetric monotone M.
    k = 7
    B = rng.standard_normal((k, k))
    K = rng.standard_normal((k, k))
    M = B @ B.T / k + (K - K.T) + 0.05 * np.eye(k)
    q = rng.standard_normal(k)
    lo, hi = np.zeros(k), np.full(k, 1e6)
    affine.append({"name": "orthant-lcp-7", "M": M.ravel().tolist(), "q": q.tolist(),
                   "lower": lo.tolist(), "z": lcp_enumerate(M, q, lo, hi).tolist()})

    json.dump({"generator": "tests/golden/halpern_gen.py (numpy, scipy HiGHS linprog, cvxopt)",
               "games": games, "affine": affine}, fp=__import__("sys").stdout)


if __name__ == "__main__":
    main()
