// Formulas: LaTeX from the session, typeset by the vendored KaTeX (no markup from strings:
// KaTeX builds the elements itself, and \href, \url and friends are refused by trust: false).
import katex from "../vendor/katex/katex.mjs";

export function renderMath(el, latex, display = false) {
  try {
    katex.render(latex, el, { throwOnError: false, displayMode: display, trust: false,
                              strict: "ignore", output: "html" });
  } catch (e) {
    el.textContent = latex;
  }
  return el;
}

// A long formula as lines that wrap to the width of their box, instead of one line scrolled
// sideways: each row of an aligned environment becomes a line of its own, typeset inline (in
// display style), where KaTeX may break after = + − · like TeX. Anything else: as display math.
export function renderWrapped(el, latex) {
  const rows = alignedRows(latex);
  if (!rows) return renderMath(el, latex, true);
  el.classList.add("wrapped");
  // a product of numbers in parentheses, (0.43)(-0.25)(0.44), may break between them too
  rows.forEach((row) => el.append(renderMath(document.createElement("div"),
    `\\displaystyle ${row.replace(/\)\s*\(/g, ")\\allowbreak(")}`)));
  return el;
}

// The rows of "\begin{aligned} a &= b \\ &= c \end{aligned}" without the & marks (a formula
// without an environment is one row), or null where an environment is nested (left whole).
function alignedRows(latex) {
  const m = /^\s*\\begin\{aligned\}([\s\S]*)\\end\{aligned\}\s*$/.exec(latex);
  const body = m ? m[1] : latex;
  if (/\\begin\{/.test(body)) return null;
  return body.split(/\\\\/).map((row) => row.replace(/(?<!\\)&/g, "").trim())
    .filter(Boolean);
}
