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
