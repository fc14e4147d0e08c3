/** Normalised mutual information of two labelings, arithmetic normaliser (scikit-learn's default). */
export function nmi(a, b) {
  const n = a.length, ca = new Map(), cb = new Map(), j = new Map();
  for (let i = 0; i < n; i++) {
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
    const key = `${a[i]},${b[i]}`;
    j.set(key, (j.get(key) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of j) {
    const [u, v] = key.split(',').map(Number);
    mi += (c / n) * Math.log((c * n) / (ca.get(u) * cb.get(v)));
  }
  const h = (m) => [...m.values()].reduce((s, c) => s - (c / n) * Math.log(c / n), 0);
  return mi / ((h(ca) + h(cb)) / 2);
}
