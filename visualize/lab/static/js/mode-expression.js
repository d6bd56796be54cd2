// Expression mode: a formula, one number field and one slider per name, the graph redrawn
// by the engine on every change, and the tools on it.
import { clear, debounce, h, latestOnly } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { GraphPane } from "./graph-pane.js";
import { Tools } from "./tools.js";
import { gradText, ValueRow } from "./value-row.js";

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
    this.output.textContent = t("output_line", { name: result.output.name,
                                                 value: fmt(result.output.value) });
    this.output.dataset.value = String(result.output.value);
    const graph = result.graph;
    this.pane.showNote(graph.note ? t(graph.note.id, graph.note.params) : "");
    await this.pane.show(graph.dot, graph);
    await this.tools.setGraph(graph, result.check_targets);
    this.main.dataset.version = String(graph.version);   // the whole view is redrawn
    this.lab.saveState();
  }

  showLeaves(leaves) {
    const names = leaves.map((leaf) => leaf.name);
    const same = names.length === this.rows.size && names.every((n) => this.rows.has(n));
    if (!same) {
      clear(this.leaves);
      this.rows.clear();
      if (!names.length) this.leaves.append(h("p", { className: "hint", text: t("values_none") }));
      for (const leaf of leaves) {
        const row = new ValueRow({ name: leaf.name, value: this.values[leaf.name],
                                   kind: leaf.kind, onInput: (x) => {
                                     this.values[leaf.name] = x;
                                     this.send();
                                   } });
        this.rows.set(leaf.name, row);
        this.leaves.append(row.el);
      }
    }
    for (const leaf of leaves) {
      const row = this.rows.get(leaf.name);
      row.set(this.values[leaf.name]);
      row.setGrad(leaf.grad, gradText(this.result.output.name, leaf.name, leaf.grad));
      row.el.dataset.kind = leaf.kind;
    }
  }

  exportSvg() {
    return this.pane.svgText();
  }
}
