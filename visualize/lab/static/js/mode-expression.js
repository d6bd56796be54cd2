// Expression mode: a formula, one number field and one slider per name, the graph redrawn
// by the engine on every change, and the tools on it.
import { clear, debounce, h, latestOnly } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { GraphPane } from "./graph-pane.js";
import { Tools } from "./tools.js";

export const DEFAULT_FORMULA = "tanh(x*w + b)";
export const DEFAULT_VALUES = { x: 2, w: -3, b: 6.88 };

export class ExpressionMode {
  constructor(lab) {
    this.lab = lab;
    this.name = "expression";
    this.values = { ...DEFAULT_VALUES };
    this.rows = new Map();          // name -> {row, number, slider, grad}
    this.result = null;
    this.send = latestOnly(() => this.update());
    this.build();
  }

  build() {
    this.formula = h("input", { type: "text", testid: "formula", className: "formula-input",
                                spellcheck: "false", autocomplete: "off",
                                "aria-label": t("formula_label"),
                                placeholder: t("formula_placeholder"), value: DEFAULT_FORMULA,
                                oninput: debounce(() => this.send(), 200) });
    this.error = h("div", { className: "error", testid: "formula-error", role: "alert" });
    this.output = h("div", { className: "output", testid: "output" });
    this.leaves = h("div", { className: "leaves", testid: "leaves" });
    this.side = h("div", { className: "side-mode" },
      h("label", { className: "field-label", text: t("formula_label") }),
      this.formula, this.error,
      h("p", { className: "hint", text: t("formula_help") }),
      this.output,
      h("h2", { text: t("values_heading") }),
      this.leaves);
    this.pane = new GraphPane({ testid: "graph",
                                onNodeClick: (id) => this.tools.explainValue(id) });
    this.tools = new Tools(this.lab, "expression", this.pane, () => this.lab.saveState());
    this.main = h("div", { className: "main-mode main-expression" }, this.pane.el,
                  this.tools.el);
  }

  async activate(state) {
    if (state) this.restore(state);
    await this.update();
  }

  restore(state) {
    if (state.f !== undefined) this.formula.value = state.f;
    if (state.v) {
      this.values = {};
      for (const pair of state.v.split(",")) {
        const [name, text] = pair.split(":");
        const x = parseFloat(text);
        if (name && Number.isFinite(x)) this.values[name] = x;
      }
    }
    this.tools.restore(state);
  }

  state() {
    const names = this.result ? this.result.leaves.map((leaf) => leaf.name)
      : Object.keys(this.values);
    return { f: this.formula.value,
             v: names.map((n) => `${n}:${this.values[n]}`).join(","),
             ...this.tools.state() };
  }

  async update() {
    let result;
    try {
      result = await this.lab.call("expression.set", { formula: this.formula.value,
                                                       values: this.values });
    } catch (e) {
      this.error.textContent = t(e.id, e.params);
      this.error.dataset.id = e.id;
      this.formula.setAttribute("aria-invalid", "true");
      this.lab.saveState();
      return;
    }
    this.error.textContent = "";
    delete this.error.dataset.id;
    this.formula.removeAttribute("aria-invalid");
    this.result = result;
    // A name the page had no value for takes the engine's default; values the user set
    // while this request ran stay as they are (the next request sends them).
    for (const leaf of result.leaves) {
      if (!(leaf.name in this.values)) this.values[leaf.name] = leaf.value;
    }
    this.showLeaves(result.leaves);
    this.output.textContent = t("output_line", { value: fmt(result.output.value) });
    this.output.dataset.value = String(result.output.value);
    const graph = result.graph;
    this.pane.showNote(graph.note ? t(graph.note.id, graph.note.params) : "");
    await this.pane.show(graph.dot, graph);
    await this.tools.setGraph(graph, result.check_targets);
    this.lab.saveState();
  }

  showLeaves(leaves) {
    const names = leaves.map((leaf) => leaf.name);
    const same = names.length === this.rows.size && names.every((n) => this.rows.has(n));
    if (!same) {
      clear(this.leaves);
      this.rows.clear();
      if (!names.length) this.leaves.append(h("p", { className: "hint", text: t("values_none") }));
      for (const leaf of leaves) this.rows.set(leaf.name, this.row(leaf));
    }
    for (const leaf of leaves) {
      const row = this.rows.get(leaf.name);
      const value = this.values[leaf.name];
      if (document.activeElement !== row.number && parseFloat(row.number.value) !== value) {
        row.number.value = String(value);
      }
      this.widen(row.slider, value);
      if (document.activeElement !== row.slider) row.slider.value = String(value);
      row.grad.textContent = t("grad_of", { name: leaf.name, value: fmt(leaf.grad) });
      row.grad.dataset.value = String(leaf.grad);
      row.row.dataset.kind = leaf.kind;
    }
  }

  row(leaf) {
    const name = leaf.name;
    const number = h("input", { type: "number", step: "any", testid: `value-${name}`,
                                className: "leaf-number", value: String(leaf.value),
                                "aria-label": t("leaf_value_label", { name }) });
    const slider = h("input", { type: "range", testid: `slider-${name}`, step: "0.01",
                                className: "leaf-slider",
                                "aria-label": t("leaf_slider_label", { name }) });
    this.widen(slider, leaf.value, true);
    const grad = h("span", { className: "leaf-grad", testid: `grad-${name}` });
    number.addEventListener("input", () => {
      const x = parseFloat(number.value);
      if (!Number.isFinite(x)) {
        number.setAttribute("aria-invalid", "true");
        return;
      }
      number.removeAttribute("aria-invalid");
      this.values[name] = x;
      this.widen(slider, x);
      slider.value = String(x);
      this.send();
    });
    slider.addEventListener("input", () => {
      const x = parseFloat(slider.value);
      this.values[name] = x;
      number.value = String(x);
      this.send();
    });
    const el = h("div", { className: "leaf", "data-name": name },
      h("span", { className: "leaf-name", text: name }), number, slider, grad);
    this.leaves.append(el);
    return { row: el, number, slider, grad };
  }

  // A slider's range covers its value: ±5 at least, doubled past the value when needed.
  widen(slider, x, reset = false) {
    const r = Math.max(5, Math.ceil(2 * Math.abs(x)));
    if (reset || x < parseFloat(slider.min) || x > parseFloat(slider.max)) {
      slider.min = String(-r);
      slider.max = String(r);
    }
  }

  exportSvg() {
    return this.pane.svgText();
  }
}
