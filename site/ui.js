// Shared by the demo sections: the version line, a heartbeat that animates on
// every frame (it visibly stalls if the page ever freezes), and small helpers.
import { version } from './optwasm/browser.js';

document.getElementById('version').textContent = `Version ${version()}.`;

const beat = document.getElementById('heartbeat').getContext('2d');
let frame = 0;
(function tick() {
  frame++;
  beat.clearRect(0, 0, 120, 16);
  beat.fillStyle = '#2b6cb0';
  beat.fillRect((frame * 2) % 120, 4, 8, 8);
  requestAnimationFrame(tick);
})();

/** Parse "1, 2 3;4" into numbers; throws on anything that is not a number. */
export function parseNumbers(text) {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  return parts.map((p) => {
    const x = Number(p);
    if (!Number.isFinite(x)) throw new Error(`"${p}" is not a number`);
    return x;
  });
}

/** Show a status line; errors in red with their code. */
export function showStatus(el, text, error) {
  el.textContent = error ? `${error.name} ${error.code ?? ''}: ${error.message}` : text;
  el.classList.toggle('error', !!error);
}

/** Format a number compactly for labels. */
export const fmt = (x, digits = 4) => (Math.abs(x) >= 1e-3 || x === 0
  ? x.toPrecision(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') // trailing zeros after the point only
  : x.toExponential(2));
