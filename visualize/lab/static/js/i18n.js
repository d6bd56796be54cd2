// The page's words, all from the session's catalog (visualize/lab/messages.py).
let catalog = {};

export function setCatalog(messages) {
  catalog = messages || {};
}

// The message with its {placeholders} filled in; always plain text (set with textContent).
export function t(id, params = {}) {
  const text = Object.prototype.hasOwnProperty.call(catalog, id) ? catalog[id] : id;
  return text.replace(/\{(\w+)\}/g, (whole, key) =>
    Object.prototype.hasOwnProperty.call(params, key) ? show(params[key]) : whole);
}

function show(value) {
  if (typeof value === "number" && !Number.isInteger(value)) return fmt(value);
  return String(value);
}

// Python's format(x, ".4g"): 4 significant digits, trailing zeros dropped, e-notation
// outside 1e-4 .. 1e4 (what draw_dot writes in the picture).
export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (x === 0) return "0";
  const [mantissa, exponentText] = x.toExponential(digits - 1).split("e");
  const exponent = parseInt(exponentText, 10);
  if (exponent < -4 || exponent >= digits) {
    const m = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    const sign = exponent < 0 ? "-" : "+";
    return `${m}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, digits - 1 - exponent));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
