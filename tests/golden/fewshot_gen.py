#!/usr/bin/python3
"""Golden data for core/fewshot (fewShot and cluster).

Writes tests/golden/fewshot.json (and the digits alone to site/fewshot-digits.json for the
demo) with
  - the scikit-learn digits (1797 x 64 integer pixels 0..16, base64 of uint8) and labels;
  - fixed 5-way episodes (1- and 5-shot, 15 queries per class) as base64 uint16 indices;
  - the per-episode accuracy of an independent numpy implementation of each method
    (prototype, laplacianshot, kmeans, slk-means) and its mean and 95% CI;
  - scikit-learn KMeans NMI on all digits (10 clusters) and a few label pairs with
    scikit-learn's normalized_mutual_info_score, to check the Go NMI.

The numpy model is the one documented in core/fewshot: features centred on the global
digits mean and L2-normalised; binary kNN graph (knn-1 nearest other points, ties by
index) symmetrised as W_sym = (W + W^T)/2; energy
  E(Y) = sum_p y_p.(log y_p + a_p) - (lambda/2) sum_p y_p.(W_sym Y)_p,
parallel bound updates y_p <- softmax(-a_p + lambda (W_sym Y)_p) for the free rows, with a
Gauss-Seidel sweep in place of a parallel step that would raise E.

Usage: /usr/bin/python3 tests/golden/fewshot_gen.py            (writes the JSON)
       /usr/bin/python3 tests/golden/fewshot_gen.py --bench N    (times the first N stored
                                                                 1-shot episodes, slk-means)
"""
import base64
import json
import os
import sys
import time

import numpy as np

WAYS, QUERIES, EPISODES = 5, 15, 200
METHODS = ["prototype", "laplacianshot", "kmeans", "slk-means"]
DEFAULT_LAMBDA = {"slk-means": 0.7, "laplacianshot": 1.0, "kmeans": 0.0, "prototype": 0.0}


def preprocess(X, mode, center):
    if mode == "center-l2":
        X = X - center
    if mode in ("center-l2", "l2"):
        X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)
    return X


def knn_graph(X, knn):
    """W_sym = (W + W^T)/2 of the binary graph to the knn-1 nearest other points."""
    n = X.shape[0]
    m = knn - 1
    sq = (X * X).sum(1)
    D = sq[:, None] + sq[None, :] - 2.0 * X @ X.T
    np.fill_diagonal(D, np.inf)
    W = np.zeros((n, n))
    if m > 0:
        nb = np.argsort(D, axis=1, kind="stable")[:, :m]
        W[np.repeat(np.arange(n), m), nb.ravel()] = 1.0
    return 0.5 * (W + W.T)


def softmax(Z):
    Z = Z - Z.max(1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(1, keepdims=True)


def energy(Y, A, F, lam):
    ylogy = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1.0)), 0.0)
    return float((ylogy + Y * A).sum() - 0.5 * lam * (Y * F).sum())


def bound_update(A, Y, free, Wsym, lam, max_inner=600, inner_tol=1e-7, warm=False):
    """Parallel bound updates of the free rows of Y, started at softmax(-A) (or, warm, at
    the given Y); returns Y and the energy after each step."""
    Y = Y.copy()
    exact = lam == 0 or not Wsym.any()
    if not warm or exact:
        Y[free] = softmax(-A[free])
    if exact:
        return Y, [energy(Y, A, Wsym @ Y, lam)]
    F = Wsym @ Y
    E_old = energy(Y, A, F, lam)
    trace = []
    for i in range(max_inner):
        Yn = Y.copy()
        Yn[free] = softmax(-A[free] + lam * F[free])
        Fn = Wsym @ Yn
        E = energy(Yn, A, Fn, lam)
        if E > E_old + 1e-12 * abs(E_old):
            # Safeguard: one Gauss-Seidel sweep never raises E (exact block minimisation).
            Yn = Y.copy()
            for p in np.flatnonzero(free):
                Yn[p] = softmax((-A[p] + lam * (Wsym[p] @ Yn))[None, :])[0]
            Fn = Wsym @ Yn
            E = energy(Yn, A, Fn, lam)
        Y, F = Yn, Fn
        trace.append(E)
        if i > 1 and abs(E - E_old) <= inner_tol * abs(E_old):
            break
        E_old = E
    return Y, trace


def sqdist(X, C):
    return (X * X).sum(1)[:, None] + (C * C).sum(1)[None, :] - 2.0 * X @ C.T


def fewshot(S, ys, Q, K, method, lam=None, knn=3, pre="center-l2", center=None,
            max_iter=100, tol=1e-4):
    if lam is None:
        lam = DEFAULT_LAMBDA[method]
    X = np.vstack([S, Q])
    if center is None:
        center = X.mean(0)
    X = preprocess(X, pre, center)
    ns = S.shape[0]
    S, Q = X[:ns], X[ns:]
    if method in ("slk-means", "kmeans"):
        Q = Q + (S.mean(0) - Q.mean(0))
    protos = np.stack([S[ys == k].mean(0) for k in range(K)])
    if method in ("prototype", "laplacianshot"):
        A = sqdist(Q, protos)
        W = knn_graph(Q, knn) if method == "laplacianshot" else np.zeros((len(Q), len(Q)))
        Y, _ = bound_update(A, np.zeros_like(A), np.ones(len(Q), bool), W, lam)
        return Y.argmax(1), Y, protos
    X = np.vstack([S, Q])
    n = X.shape[0]
    free = np.arange(n) >= ns
    W = knn_graph(X, knn) if lam != 0 else np.zeros((n, n))
    labels = sqdist(X, protos).argmin(1)
    labels[:ns] = ys
    Y = np.zeros((n, K))
    Y[np.arange(ns), ys] = 1.0
    E_old = None
    for it in range(max_iter):
        protos = np.stack([X[labels == k].mean(0) for k in range(K)])
        A = sqdist(X, protos)
        Y, trace = bound_update(A, Y, free, W, lam, warm=it > 0)
        labels = Y.argmax(1)
        E = trace[-1]
        if it > 1 and abs(E - E_old) <= tol * abs(E_old):
            break
        E_old = E
    return labels[ns:], Y[ns:], protos


def ci95(acc):
    acc = np.asarray(acc)
    return float(acc.mean()), float(1.96 * acc.std() / np.sqrt(len(acc)))


def sample_episodes(y, shot, rng, count):
    eps = []
    for _ in range(count):
        classes = rng.choice(10, WAYS, replace=False)
        sup, qry = [], []
        for c in classes:
            idx = rng.choice(np.flatnonzero(y == c), shot + QUERIES, replace=False)
            sup.extend(idx[:shot])
            qry.extend(idx[shot:])
        eps.append(np.array(sup + qry, dtype=np.uint16))
    return eps


def run_episode(X, y, idx, shot, method, center):
    ns = WAYS * shot
    classes = y[idx[:ns:shot]]
    remap = {c: k for k, c in enumerate(classes)}
    ys = np.array([remap[c] for c in y[idx[:ns]]])
    yq = np.array([remap[c] for c in y[idx[ns:]]])
    pred, _, _ = fewshot(X[idx[:ns]], ys, X[idx[ns:]], WAYS, method, center=center)
    return float((pred == yq).mean())


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def main():
    from sklearn.datasets import load_digits
    from sklearn.cluster import KMeans
    from sklearn.metrics import normalized_mutual_info_score as nmi

    d = load_digits()
    pix = d.data.astype(np.uint8)
    y = d.target.astype(np.int64)
    X = pix.astype(np.float64)
    center = X.mean(0)
    rng = np.random.default_rng(0)
    out = {
        "digits": {"n": int(X.shape[0]), "d": int(X.shape[1]), "pixels_u8_b64": b64(pix),
                   "labels": y.tolist()},
        "ways": WAYS, "queries": QUERIES,
        "center": "global mean of the digits pixels",
        "episodes": {},
    }
    for shot in (1, 5):
        eps = sample_episodes(y, shot, rng, EPISODES)
        res = {}
        for method in METHODS:
            acc = [run_episode(X, y, e, shot, method, center) for e in eps]
            m, h = ci95(acc)
            res[method] = {"mean": m, "ci95": h, "accuracy": acc}
            print(f"{shot}-shot {method:14s} {100*m:.2f} +- {100*h:.2f}", file=sys.stderr)
        out["episodes"][str(shot)] = {
            "shot": shot, "count": EPISODES,
            "indices_u16_b64": b64(np.concatenate(eps).astype("<u2")),
            "reference": res,
        }
    km = KMeans(n_clusters=10, n_init=10, random_state=0).fit(X)
    out["kmeans"] = {"sklearn": "KMeans(n_clusters=10, n_init=10, random_state=0) on raw pixels",
                     "nmi": float(nmi(y, km.labels_))}
    print("sklearn KMeans NMI", out["kmeans"]["nmi"], file=sys.stderr)
    pr = np.random.default_rng(1)
    pairs = []
    for a, b in [(y, km.labels_), (y, pr.integers(0, 10, len(y))),
                 (pr.integers(0, 3, 50), pr.integers(0, 7, 50)), (y[:40], y[:40] % 3)]:
        pairs.append({"a": np.asarray(a).tolist(), "b": np.asarray(b).tolist(),
                      "nmi": float(nmi(a, b))})
    out["nmi_pairs"] = pairs
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fewshot.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", path, os.path.getsize(path), "bytes", file=sys.stderr)
    # The digits alone for the demo's episode viewer.
    site = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "site", "fewshot-digits.json")
    with open(site, "w") as f:
        json.dump(out["digits"], f, separators=(",", ":"))


def bench(count):
    """Times the first `count` stored 5-way 1-shot episodes with slk-means (numpy)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fewshot.json")
    with open(path) as f:
        g = json.load(f)
    X = np.frombuffer(base64.b64decode(g["digits"]["pixels_u8_b64"]), dtype=np.uint8)
    X = X.reshape(g["digits"]["n"], g["digits"]["d"]).astype(np.float64)
    y = np.array(g["digits"]["labels"])
    idx = np.frombuffer(base64.b64decode(g["episodes"]["1"]["indices_u16_b64"]), dtype="<u2")
    eps = idx.reshape(-1, WAYS * (1 + QUERIES))[:count].astype(np.int64)
    center = X.mean(0)
    t = time.perf_counter()
    acc = [run_episode(X, y, e, 1, "slk-means", center) for e in eps]
    ms = 1000 * (time.perf_counter() - t)
    print(json.dumps({"episodes": len(eps), "ms": ms, "accuracy": float(np.mean(acc))}))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--bench":
        bench(int(sys.argv[2]))
    else:
        main()
