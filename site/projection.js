// The k-sparse projection playground: bars of v (grey) and of x (blue).
import { sparseSimplexProjection } from './optwasm/browser.js';
import { parseNumbers, showStatus, fmt } from './ui.js';

const form = document.getElementById('proj-form');
const bars = document.getElementById('proj-bars');
const status = document.getElementById('proj-status');

function draw(v, x) {
  const top = Math.max(...v.map(Math.abs), ...x, 1e-12);
  bars.replaceChildren(...v.map((vi, i) => {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.title = `v[${i}] = ${vi}, x[${i}] = ${x[i]}`;
    const inBar = document.createElement('div');
    inBar.className = 'in';
    inBar.style.height = `${(90 * Math.max(vi, 0)) / top}%`;
    const outBar = document.createElement('div');
    outBar.className = 'out';
    outBar.style.height = `${(90 * x[i]) / top}%`;
    const label = document.createElement('span');
    label.textContent = fmt(x[i], 3);
    bar.append(inBar, outBar, label);
    return bar;
  }));
}

async function run() {
  try {
    const v = parseNumbers(document.getElementById('proj-v').value);
    const k = Number(document.getElementById('proj-k').value);
    const z = Number(document.getElementById('proj-z').value);
    const r = await sparseSimplexProjection({ v, k, z });
    draw(v, r.x);
    showStatus(status, `support {${[...r.support].join(', ')}}, computed in the worker in ${fmt(r.elapsedMs, 2)} ms`);
    form.dataset.done = String(Number(form.dataset.done ?? 0) + 1);
  } catch (e) {
    showStatus(status, '', e);
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  run();
});
run();
