// The two plots of train mode, drawn on canvases: the loss curve, and the decision boundary
// with the data (or, for a regression, predictions against targets).
import { fmt } from "./i18n.js";

const CLASS_ONE = [33, 102, 172];   // the parameter blue of the pictures
const CLASS_ZERO = [214, 96, 39];

function setup(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  return [ctx, width, height];
}

// history: [[step, loss], ...]
export function drawLossCurve(canvas, history) {
  const [ctx, width, height] = setup(canvas);
  const points = history.filter(([, loss]) => loss !== null && Number.isFinite(loss));
  const left = 52, right = 10, top = 10, bottom = 24;
  const w = width - left - right, h = height - top - bottom;
  ctx.strokeStyle = "#c8ccd1";
  ctx.strokeRect(left, top, w, h);
  if (!points.length || w <= 0 || h <= 0) return;
  const steps = points.map((p) => p[0]);
  const losses = points.map((p) => p[1]);
  const x0 = Math.min(...steps), x1 = Math.max(x0 + 1, ...steps);
  const y1 = Math.max(...losses) * 1.05 || 1, y0 = 0;
  const X = (s) => left + ((s - x0) / (x1 - x0)) * w;
  const Y = (v) => top + h - ((v - y0) / (y1 - y0)) * h;
  ctx.fillStyle = "#5b636b";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of [y0, y1 / 2, y1]) ctx.fillText(fmt(v, 3), left - 6, Y(v));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const s of [x0, Math.round((x0 + x1) / 2), x1]) ctx.fillText(String(s), X(s), top + h + 6);
  ctx.strokeStyle = "#2166ac";
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([s, v], i) => (i ? ctx.lineTo(X(s), Y(v)) : ctx.moveTo(X(s), Y(v))));
  ctx.stroke();
  ctx.lineWidth = 1;
}

// boundary: {n, x: [lo, hi], y: [lo, hi], values, threshold, scale}; points: {x: [[a, b]], y}
export function drawBoundary(canvas, boundary, points) {
  const [ctx, width, height] = setup(canvas);
  if (!boundary) return;
  const size = Math.min(width, height) - 8;
  const ox = (width - size) / 2, oy = (height - size) / 2;
  // one pixel per grid point, scaled up smoothly
  const n = boundary.n;
  const small = document.createElement("canvas");
  small.width = small.height = n;
  const image = small.getContext("2d").createImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = boundary.values[j * n + i];
      const t = Math.max(-1, Math.min(1, (v - boundary.threshold) / boundary.scale));
      const colour = t >= 0 ? CLASS_ONE : CLASS_ZERO;
      const a = 0.08 + 0.42 * Math.abs(t);
      const k = ((n - 1 - j) * n + i) * 4;   // row 0 of the grid is the bottom
      for (let c = 0; c < 3; c++) image.data[k + c] = Math.round(255 - a * (255 - colour[c]));
      image.data[k + 3] = 255;
    }
  }
  small.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, ox, oy, size, size);
  ctx.strokeStyle = "#c8ccd1";
  ctx.strokeRect(ox, oy, size, size);
  if (!points) return;
  const X = (a) => ox + ((a - boundary.x[0]) / (boundary.x[1] - boundary.x[0])) * size;
  const Y = (b) => oy + size - ((b - boundary.y[0]) / (boundary.y[1] - boundary.y[0])) * size;
  points.x.forEach(([a, b], k) => {
    const [r, g, bl] = points.y[k] > 0.5 ? CLASS_ONE : CLASS_ZERO;
    ctx.fillStyle = `rgb(${r}, ${g}, ${bl})`;
    ctx.strokeStyle = "#fff";
    ctx.beginPath();
    ctx.arc(X(a), Y(b), 3.6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
}

// fit: {predicted, target}: one dot per sample, the diagonal where they are equal.
export function drawFit(canvas, fit) {
  const [ctx, width, height] = setup(canvas);
  if (!fit) return;
  const all = fit.predicted.concat(fit.target);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  const size = Math.min(width, height) - 30;
  const ox = (width - size) / 2 + 10, oy = (height - size) / 2 - 6;
  const P = (v) => ((v - lo) / (hi - lo)) * size;
  ctx.strokeStyle = "#c8ccd1";
  ctx.strokeRect(ox, oy, size, size);
  ctx.beginPath();
  ctx.moveTo(ox, oy + size);
  ctx.lineTo(ox + size, oy);
  ctx.stroke();
  ctx.fillStyle = "rgba(33, 102, 172, 0.55)";
  fit.target.forEach((t, k) => {
    ctx.beginPath();
    ctx.arc(ox + P(t), oy + size - P(fit.predicted[k]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.fillStyle = "#5b636b";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText(`${fmt(lo, 3)} … ${fmt(hi, 3)}`, ox + size / 2, oy + size + 6);
}
